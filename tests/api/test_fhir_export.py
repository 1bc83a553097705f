"""GET /api/referrals/<id>/fhir: a FHIR R4 Bundle that fhir.resources' R4B models accept."""
from fhir.resources.R4B.bundle import Bundle

from .console import audit_actions, log_in, store_referral
from .payloads import with_proof


def resources(bundle: Bundle) -> dict:
    return {entry.resource.get_resource_type(): entry.resource for entry in bundle.entry}


def fetch(client, headers, referral_id) -> Bundle:
    response = client.get(f"/api/referrals/{referral_id}/fhir", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/fhir+json"
    return Bundle.model_validate_json(response.get_data())


def test_a_gp_referral_becomes_service_request_patient_practitioner_and_organization(app, client, bot, demo, staff):
    referral = store_referral(client, bot)
    found = resources(fetch(client, {"Authorization": staff["Authorization"]}, referral["id"]))
    assert set(found) == {"ServiceRequest", "Patient", "Practitioner", "PractitionerRole", "Organization"}
    request, patient = found["ServiceRequest"], found["Patient"]
    assert (request.status, request.intent, request.priority) == ("active", "order", "asap")
    assert request.identifier[0].value == referral["reference"]
    assert request.code.text == "Rapid Response"
    assert request.reasonCode[0].text == "Fall at home, now unsteady on her feet"
    assert any(n.text == "Risks: falls, lives alone" for n in request.note)
    assert (patient.identifier[0].system, patient.identifier[0].value) == ("https://fhir.nhs.uk/Id/nhs-number",
                                                                           "9434765919")
    assert str(patient.birthDate) == "1941-03-07" and patient.address[0].postalCode == "W2 4RJ"
    practitioner = found["Practitioner"]
    assert (practitioner.identifier[0].system, practitioner.identifier[0].value) == (
        "https://fhir.hl7.org.uk/Id/gmc-number", "7123456")
    organization = found["Organization"]
    assert organization.name == "Westbourne Green Surgery"
    assert (organization.identifier[0].system, organization.identifier[0].value) == (
        "https://fhir.nhs.uk/Id/ods-organization-code", "E87012")
    urls = {entry.resource.get_resource_type(): entry.fullUrl for entry in fetch(
        client, {"Authorization": staff["Authorization"]}, referral["id"]).entry}
    assert request.subject.reference == urls["Patient"] and request.requester.reference == urls["PractitionerRole"]
    assert audit_actions(app, referral["id"]).count(f"staff:{staff['email']} referral.exported") == 2


def test_a_relative_of_a_returning_client_is_a_related_person_not_a_practitioner(client, bot, demo, staff):
    referral = store_referral(client, bot, service="rehab_reablement", setting="home", expected_discharge_date=None,
                              referrer={"kind": "returning_client", "name": "June Clarke", "relationship": "family",
                                        "phone": "07912 345678"})
    found = resources(fetch(client, {"Authorization": staff["Authorization"]}, referral["id"]))
    assert "Practitioner" not in found and "Organization" not in found
    assert found["RelatedPerson"].name[0].text == "June Clarke"
    assert found["ServiceRequest"].requester.reference.startswith("urn:uuid:")


def test_an_incomplete_intake_exports_as_a_draft(client, bot, demo, staff):
    body = {"status": "incomplete", "channel": "voice", "conversation_id": "CA-fhir-draft",
            "service": "rapid_response",
            "referrer": {"kind": "professional", "registration_body": "GMC", "registration_number": "7123456",
                         "phone": "020 7946 0999"},
            "patient": {"given_name": "Edith", "family_name": "Clarke", "postcode": "SW1X 0BH"}}
    created = client.post("/api/referrals", json=with_proof(client, bot, body),
                          headers={**bot, "Idempotency-Key": "CA-fhir-draft"})
    found = resources(fetch(client, {"Authorization": staff["Authorization"]}, created.get_json()["id"]))
    assert found["ServiceRequest"].status == "draft" and found["ServiceRequest"].priority is None


def test_the_console_session_may_download_it(client, bot, demo):
    referral = store_referral(client, bot)
    log_in(client)
    response = client.get(f"/api/referrals/{referral['id']}/fhir")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    assert response.get_json()["resourceType"] == "Bundle"


def test_the_service_token_and_no_token_are_refused(client, bot, demo):
    referral = store_referral(client, bot)
    for headers in (bot, {}):
        response = client.get(f"/api/referrals/{referral['id']}/fhir", headers=headers)
        assert response.status_code == 401 and response.get_json()["error"] == "unauthorised"
    assert client.get(f"/api/referrals/{referral['id']}", headers=bot).status_code == 401


def test_a_missing_referral_is_a_404(client, demo, staff):
    response = client.get("/api/referrals/424242/fhir", headers={"Authorization": staff["Authorization"]})
    assert response.status_code == 404 and response.get_json()["error"] == "not_found"


def test_the_console_session_cannot_change_a_referral_through_the_api(client, bot, demo):
    referral = store_referral(client, bot)
    log_in(client)
    response = client.patch(f"/api/referrals/{referral['id']}", json={"status": "triaged", "note": "x"})
    assert response.status_code == 401


def test_a_returning_client_referring_themselves_is_the_requester(client, bot, demo, staff):
    referral = store_referral(client, bot, service="rehab_reablement", setting="home", expected_discharge_date=None,
                              referrer={"kind": "returning_client", "name": "Edith Clarke", "relationship": "self",
                                        "phone": "07712 345678"})
    bundle = fetch(client, {"Authorization": staff["Authorization"]}, referral["id"])
    found = resources(bundle)
    assert set(found) == {"ServiceRequest", "Patient"}
    patient_url = next(e.fullUrl for e in bundle.entry if e.resource.get_resource_type() == "Patient")
    assert found["ServiceRequest"].requester.reference == patient_url
