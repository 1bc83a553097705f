"""One referral contract (referral_rules/contract.py): the API, the case store, the FHIR bundle and the staff
page take a referral's fields, allowed values, limits and labels from it."""
from types import SimpleNamespace

from sqlalchemy import String

from intake_api.fhir_bundle import identifier_system
from intake_api.models import Referral
from intake_api.serialise import referral_dict
from referral_rules import contract

from .console import log_in, store_referral
from .payloads import referral_body, try_proof

CHI = SimpleNamespace(patient_identifier=SimpleNamespace(name="CHI number",
                                                         fhir_system="https://fhir.nhs.uk/Id/chi-number"))


def test_every_text_column_of_a_referral_is_as_long_as_the_contract_says():
    lengths = {c.name: c.type.length for c in Referral.__table__.columns if isinstance(c.type, String)}
    assert {column: lengths[column] for column in contract.COLUMN_LENGTH} == contract.COLUMN_LENGTH
    assert lengths["patient_given_name"] == contract.FIELDS["patient.given_name"].max_length == 100


def test_a_stored_referral_shows_every_stored_field_of_the_contract_at_its_name():
    r = Referral(referrer_registration_body="GMC", referrer_registration_number="7123456", borough_code="E1",
                 routing_contacts=[], difficulties=[], goals=[], risks=[])
    shown = referral_dict(r)
    for field in contract.FIELDS.values():
        if field.column:
            *outer, key = field.path.split(".")
            where = shown
            for name in outer:
                where = where[name]
            assert key in where, field.path
    assert "verification" not in shown["referrer"]  # the check's token is never shown
    empty = referral_dict(Referral(routing_contacts=[], difficulties=[], goals=[], risks=[]))
    assert empty["borough"] is None and empty["referrer"]["registration"] is None


def test_the_api_accepts_exactly_the_contracts_values(app, client, bot, demo):
    body = try_proof(client, bot, referral_body(setting="garden"))
    response = client.post("/api/referrals", json=body, headers={**bot, "Idempotency-Key": "k-garden"})
    assert response.status_code == 400
    assert response.get_json()["message"] == "setting must be one of: " + ", ".join(contract.SETTINGS) + "."


def test_the_patient_identifier_is_named_and_coded_as_the_service_says():
    assert contract.label("patient.nhs_number") == "NHS number"
    assert contract.label("patient.nhs_number", CHI) == "CHI number"
    assert contract.said("patient_nhs_number", CHI) == "the CHI number"
    assert contract.said("patient_date_of_birth", CHI) == "the date of birth"
    assert identifier_system(CHI) == "https://fhir.nhs.uk/Id/chi-number"


def test_the_bots_markers_mean_not_known():
    for marker in (None, "", contract.UNKNOWN, contract.NOT_APPLICABLE):
        assert contract.known(marker) is None
    assert contract.known(False) is False and contract.known([]) == []
    assert contract.FIELDS["patient.lives_alone"].answer("yes") is None  # a boolean slot that is not a boolean
    assert contract.FIELDS["consent"].answer("no") is None                # "no" is not a consent
    assert contract.FIELDS["patient.given_name"].answer("Edith Mary Clarke") == "Edith Mary"
    assert contract.FIELDS["patient.family_name"].answer("Edith Mary Clarke") == "Clarke"


def test_the_staff_page_reads_stored_values_in_the_contracts_words(client, bot, demo):
    referral = store_referral(client, bot, setting="care_home", expected_discharge_date=None,
                              consent="best_interests")
    log_in(client)
    page = client.get(f"/staff/referrals/{referral['id']}").get_data(as_text=True)
    for shown in (contract.SETTINGS["care_home"], contract.CONSENT["best_interests"], contract.URGENCY["urgent"],
                  f">{contract.label('setting')}</dt>", ">NHS number</dt>"):
        assert shown in page, shown
