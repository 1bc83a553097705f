"""A referral must name the check its conversation passed, recorded by the API itself; lock-outs are exact
under concurrency; unknown registrations lock like real ones; checks are rate-limited."""
import pytest
import requests
from sqlalchemy import select

from intake_api.models import Verification

from ..at_once import at_once

from .payloads import referral_body, with_proof


def store(client, bot, body):
    return client.post("/api/referrals", json=body, headers={**bot, "Idempotency-Key": body["conversation_id"]})


def verify(client, bot, conversation_id="conv-a", number="7123456", pin="482913"):
    return client.post("/api/referrers/verify", headers=bot, json={
        "conversation_id": conversation_id, "registration_body": "GMC", "registration_number": number, "pin": pin})


def refused_for(response) -> str:
    assert response.status_code == 422, response.get_json()
    return response.get_json()["error"]


def test_a_professionals_referral_without_a_pin_check_is_refused(client, bot, demo):
    assert refused_for(store(client, bot, referral_body())) == "not_verified"
    made_up = referral_body(**{"referrer.verification": "made-up-token"})
    assert refused_for(store(client, bot, made_up)) == "not_verified"


def test_a_check_counts_only_for_its_own_conversation_and_referrer(client, bot, demo):
    token = verify(client, bot, conversation_id="conv-a").get_json()["verification"]["token"]
    other_conversation = referral_body(conversation_id="conv-b", **{"referrer.verification": token})
    assert refused_for(store(client, bot, other_conversation)) == "not_verified"
    other_referrer = referral_body(conversation_id="conv-a", **{"referrer.registration_number": "7654321",
                                                                 "referrer.verification": token})
    assert refused_for(store(client, bot, other_referrer)) == "not_verified"
    assert store(client, bot, referral_body(conversation_id="conv-a", **{"referrer.verification": token})
                 ).status_code == 201


def test_a_check_expires(client, bot, demo, monkeypatch):
    body = with_proof(client, bot, referral_body())
    monkeypatch.setenv("CIS_NOW", "2026-11-24T12:00:01+00:00")  # two hours after the check
    assert refused_for(store(client, bot, body)) == "not_verified"


def test_a_registration_locked_or_deactivated_since_its_check_is_refused(client, bot, demo, cli):
    body = with_proof(client, bot, referral_body())
    for pin in ("111111", "222222", "333333"):
        verify(client, bot, conversation_id="conv-attacker", pin=pin)
    assert refused_for(store(client, bot, body)) == "not_verified"
    nurse = with_proof(client, bot, referral_body(referrer={"kind": "professional", "registration_body": "NMC",
                                                            "registration_number": "12A3456E"}))
    cli("referrer", "deactivate", "--body", "NMC", "--number", "12A3456E")
    assert refused_for(store(client, bot, nurse)) == "not_verified"


def test_a_returning_clients_check_is_for_that_patient_only(client, bot, demo):
    relative = {"kind": "returning_client", "name": "June Clarke", "relationship": "family", "phone": "07912 345678"}
    body = with_proof(client, bot, referral_body(service="rehab_reablement", setting="home",
                                                 expected_discharge_date=None, referrer=relative))
    someone_else = {**body, "patient": {**body["patient"], "nhs_number": "4010232137", "date_of_birth": "1936-11-02"}}
    assert refused_for(store(client, bot, someone_else)) == "not_returning_client"
    assert store(client, bot, body).status_code == 201


def test_only_a_digest_of_the_token_is_kept(app, client, bot, demo):
    token = verify(client, bot).get_json()["verification"]["token"]
    db = app.extensions["cis"]["sessions"]()
    stored = db.scalars(select(Verification)).all()
    assert len(stored) == 1 and token not in stored[0].token_sha256 and len(stored[0].token_sha256) == 64


def test_twenty_wrong_pins_at_once_get_at_most_three_tries(served, bot, demo):
    def guess(n):
        return requests.post(f"{served}/api/referrers/verify", headers=bot, timeout=60, json={
            "conversation_id": f"attacker-{n}", "registration_body": "GMC", "registration_number": "7123456",
            "pin": f"{n:06d}"}).status_code

    statuses = at_once(guess, range(20))
    # At most three PINs checked (two "wrong", the third locks); the rest refused as locked, or, while the
    # three were still being checked, as "being checked already" (503, try again).
    assert statuses.count(401) <= 2 and statuses.count(423) >= 1, statuses
    assert statuses.count(401) + statuses.count(423) + statuses.count(503) == 20, statuses
    assert requests.post(f"{served}/api/referrers/verify", headers=bot, timeout=60, json={
        "conversation_id": "gp", "registration_body": "GMC", "registration_number": "7123456",
        "pin": "482913"}).status_code == 423  # locked: the right PIN too


def test_right_pins_checked_at_the_same_moment_never_lock_the_registration(served, bot, demo):
    def sign_in(n):
        return requests.post(f"{served}/api/referrers/verify", headers=bot, timeout=60, json={
            "conversation_id": f"gp-{n}", "registration_body": "GMC", "registration_number": "7123456",
            "pin": "482913"}).status_code

    statuses = at_once(sign_in, range(8))
    assert 423 not in statuses and statuses.count(200) >= 1, statuses
    assert set(statuses) <= {200, 503}, statuses  # more at once than the allowed tries: "try again", not locked
    assert sign_in("after") == 200


def test_an_unknown_registration_locks_like_a_real_one(client, bot, demo):
    for number in ("7123456", "7000000"):  # enrolled, unknown
        answers = [verify(client, bot, conversation_id=f"conv-{number}", number=number, pin=pin)
                   for pin in ("111111", "222222", "333333", "482913")]
        assert [a.status_code for a in answers] == [401, 401, 423, 423], number
    assert verify(client, bot, number="7123456").get_json() == verify(client, bot, number="7000000").get_json()


@pytest.mark.parametrize("path,body", [
    ("/api/referrers/verify", {"registration_body": "GMC", "registration_number": "7000000", "pin": "000000"}),
    ("/api/clients/lookup", {"nhs_number": "4505577104", "date_of_birth": "1950-01-01"}),
])
def test_checks_are_limited_per_conversation(client, bot, demo, path, body):
    statuses = [client.post(path, headers=bot, json={**body, "conversation_id": "conv-busy",
                                                     "registration_number": f"70000{n:02d}"} if "pin" in body
                            else {**body, "conversation_id": "conv-busy"}).status_code for n in range(8)]
    allowed = 6 if "pin" in body else 5
    assert 429 not in statuses[:allowed] and statuses[allowed:] == [429] * (8 - allowed)
    assert client.post(path, headers=bot, json={**body, "conversation_id": "conv-other"}).status_code != 429


def test_verified_with_pin_on_the_staff_page_comes_only_from_the_record(app, client, bot, demo):
    from sqlalchemy import update

    from intake_api.models import Referral

    from .console import log_in, store_referral

    referral = store_referral(client, bot)
    log_in(client)
    assert "Verified with PIN" in client.get(f"/staff/referrals/{referral['id']}").get_data(as_text=True)
    db = app.extensions["cis"]["sessions"]()
    db.execute(update(Referral).where(Referral.id == referral["id"]).values(verification_id=None))
    db.commit()
    page = client.get(f"/staff/referrals/{referral['id']}").get_data(as_text=True)
    assert "Verified with PIN" not in page and "no PIN check on record" in page
