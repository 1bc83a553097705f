"""POST /api/referrers/verify: registration + PIN, the same answer for unknown and wrong, lock-out."""
import pytest
from sqlalchemy import select

from intake_api.models import AuditEntry

GP = {"registration_body": "GMC", "registration_number": "7123456", "pin": "482913", "conversation_id": "conv-gp"}


def verify(client, bot, **changes):
    return client.post("/api/referrers/verify", json={**GP, **changes}, headers=bot)


def test_a_demo_gp_with_the_right_pin_is_verified(client, bot, demo):
    response = verify(client, bot)
    assert response.status_code == 200
    referrer = response.get_json()["referrer"]
    assert referrer["name"] == "Dr Asha Patel"
    assert referrer["profession"] == "gp"
    assert referrer["organisation"] == "Westbourne Green Surgery"
    assert referrer["services"] == ["rapid_response", "rehab_reablement"]


def test_a_social_worker_may_refer_to_reablement_only(client, bot, demo):
    response = verify(client, bot, registration_body="swe", registration_number="sw123456")
    assert response.status_code == 200
    assert response.get_json()["referrer"]["services"] == ["rehab_reablement"]


def test_wrong_pin_and_unknown_number_get_the_same_answer(client, bot, demo):
    wrong_pin = verify(client, bot, pin="000000")
    unknown = verify(client, bot, registration_number="7000000")
    assert wrong_pin.status_code == unknown.status_code == 401
    assert wrong_pin.get_json() == unknown.get_json()


def test_three_wrong_pins_lock_the_registration_for_15_minutes(client, bot, demo, monkeypatch):
    assert verify(client, bot, pin="111111").status_code == 401
    assert verify(client, bot, pin="222222").status_code == 401
    third = verify(client, bot, pin="333333")
    assert third.status_code == 423
    assert "15 minutes" in third.get_json()["message"]
    assert verify(client, bot).status_code == 423  # even with the right PIN
    monkeypatch.setenv("CIS_NOW", "2026-11-24T10:14:59+00:00")
    assert verify(client, bot).status_code == 423
    monkeypatch.setenv("CIS_NOW", "2026-11-24T10:15:01+00:00")
    assert verify(client, bot).status_code == 200


def test_a_success_resets_the_failure_count(client, bot, demo):
    verify(client, bot, pin="111111")
    verify(client, bot, pin="222222")
    assert verify(client, bot).status_code == 200
    assert verify(client, bot, pin="111111").status_code == 401
    assert verify(client, bot, pin="222222").status_code == 401
    assert verify(client, bot).status_code == 200


def test_a_deactivated_referrer_can_no_longer_verify(client, bot, demo, cli):
    cli("referrer", "deactivate", "--body", "GMC", "--number", "7123456")
    response = verify(client, bot)
    assert response.status_code == 401
    assert response.get_json()["error"] == "not_verified"


@pytest.mark.parametrize("changes,status,code", [
    ({"registration_number": "71234"}, 422, "invalid_registration_number"),
    ({"registration_body": "BMA"}, 422, "invalid_registration_body"),
    ({"pin": "12345"}, 422, "invalid_pin"),
    ({"pin": 482913}, 400, "wrong_type"),
    ({"registration_number": None}, 400, "missing_field"),
])
def test_malformed_details_are_a_clear_4xx(client, bot, demo, changes, status, code):
    response = verify(client, bot, **changes)
    assert response.status_code == status
    assert response.get_json()["error"] == code


def test_every_attempt_is_audited_without_the_pin(app, client, bot, demo):
    verify(client, bot, pin="999999")
    verify(client, bot, registration_number="7000000")
    verify(client, bot)
    db = app.extensions["cis"]["sessions"]()
    entries = db.scalars(select(AuditEntry).where(AuditEntry.action.like("referrer.verif%")).order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["referrer.verify_failed", "referrer.verify_failed", "referrer.verified"]
    assert entries[1].detail["registration_number"] == "7000000" and entries[1].referrer_id is None
    assert not any("999999" in str(e.detail) or "482913" in str(e.detail) for e in entries)
