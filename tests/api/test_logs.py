"""No PIN, NHS number or date of birth reaches a log, whatever happens."""
import logging
import re

from .payloads import referral_body, with_proof

SECRETS = ("482913", "111111", "9434765919", "943 476 5919", "9434765918", "1941-03-07", "1941")


def leaked(secret: str, logged: str) -> bool:
    """The secret as a number of its own: not the same digits inside another number (a timing such as
    "cached since 0.834222000194131s")."""
    return re.search(rf"(?<!\d){re.escape(secret)}(?!\d)", logged) is not None


def test_verifying_looking_up_and_referring_log_no_identifiers(client, bot, demo, staff, caplog):
    caplog.set_level(logging.DEBUG)
    # SQL statements as echo=True shows them: their parameters must be hidden.
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    client.post("/api/referrers/verify", json={"registration_body": "GMC", "registration_number": "7123456",
                                               "pin": "111111", "conversation_id": "c-logs"}, headers=bot)
    client.post("/api/clients/lookup", json={"nhs_number": "9434765919", "date_of_birth": "1941-03-07",
                                             "conversation_id": "c-logs"}, headers=bot)
    client.post("/api/clients/lookup", json={"nhs_number": "9434765918", "date_of_birth": "1941-03-07",
                                             "conversation_id": "c-logs"}, headers=bot)
    body = with_proof(client, bot, referral_body())
    created = client.post("/api/referrals", json=body, headers={**bot, "Idempotency-Key": "k1"})
    client.post("/api/referrals", json=body, headers={**bot, "Idempotency-Key": "k1"})
    client.get(f"/api/referrals/{created.get_json()['id']}", headers=staff)
    assert any("POST /api/referrals 201" in r.getMessage() for r in caplog.records)
    logged = "\n".join(r.getMessage() + str(r.args) for r in caplog.records)
    assert not [secret for secret in SECRETS if leaked(secret, logged)]


def test_an_unexpected_error_is_a_json_500_that_logs_no_identifiers(app, client, bot, demo, caplog, monkeypatch):
    from intake_api import referral_payload

    def broken(*_args, **_kwargs):
        raise RuntimeError("patient 9434765919 born 1941-03-07")

    monkeypatch.setattr(referral_payload, "_clinical", broken)
    caplog.set_level(logging.DEBUG)
    response = client.post("/api/referrals", json=with_proof(client, bot, referral_body()),
                           headers={**bot, "Idempotency-Key": "k2"})
    assert response.status_code == 500
    assert response.get_json()["error"] == "internal_error"
    logged = "\n".join(r.getMessage() for r in caplog.records) + "".join(str(r.exc_info) for r in caplog.records)
    assert "RuntimeError" in logged
    assert "9434765919" not in logged and "1941-03-07" not in logged
