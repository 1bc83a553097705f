"""POST/GET/PATCH /api/referrals: storing a referral exactly once, and staff reading and triaging it."""
import pytest
import requests
from sqlalchemy import func, select

from intake_api.models import AuditEntry, Referral

from ..at_once import at_once

from .payloads import referral_body, try_proof


def post(client, bot, body, key=None, prove=True):
    """Store a referral as the action server does, after its conversation passed its check (``prove``)."""
    if prove:
        body = try_proof(client, bot, body)
    return client.post("/api/referrals", json=body, headers={**bot, "Idempotency-Key": key or body["conversation_id"]})


def count(app):
    db = app.extensions["cis"]["sessions"]()
    try:
        return db.scalar(select(func.count()).select_from(Referral))
    finally:
        db.close()


def test_a_gp_rapid_response_referral_is_stored_with_every_field(client, bot, demo, staff):
    body = referral_body()
    created = post(client, bot, body)
    assert created.status_code == 201
    stored = client.get(f"/api/referrals/{created.get_json()['id']}", headers=staff).get_json()
    assert stored["reference"] == created.get_json()["reference"] and len(stored["reference"]) == 6
    assert stored["status"] == "new"
    assert stored["service"] == "rapid_response"
    assert stored["channel"] == "chat"
    assert stored["conversation_id"] == body["conversation_id"]
    assert stored["received_at"] == "2026-11-24T10:00:00Z"
    assert stored["out_of_hours"] is False
    assert stored["referrer"] == {
        "kind": "professional", "id": stored["referrer"]["id"], "name": "Dr Asha Patel", "profession": "gp",
        "registration": {"body": "GMC", "number": "7123456"}, "organisation": "Westbourne Green Surgery",
        "relationship": None, "phone": "+442079460999"}
    assert stored["patient"] == {
        "given_name": "Edith", "family_name": "Clarke", "date_of_birth": "1941-03-07", "nhs_number": "9434765919",
        "address_line": "Flat 3, 12 Porchester Square", "postcode": "W2 4RJ", "phone": "+447712345678",
        "lives_alone": True}
    assert stored["borough"] == {"code": "E09000033", "name": "Westminster"}
    assert stored["routing"] == {"contacts": [{"name": "Adult Social Care", "phone": "020 7641 2500"}]}
    assert stored["consent"] == "given"
    assert stored["setting"] == "hospital" and stored["expected_discharge_date"] == "2026-11-27"
    assert stored["reason"] == "Fall at home, now unsteady on her feet"
    assert stored["difficulties"] == ["mobility", "washing"]
    assert stored["goals"] == ["walk to the local shops"]
    assert stored["risks"] == ["falls", "lives alone"]
    assert stored["mental_health_crisis"] is False
    assert stored["urgency"] == "urgent"
    assert [h["action"] for h in stored["history"]] == ["referral.created", "referral.viewed"]
    assert stored["history"][1]["actor"] == f"staff:{staff['email']}"


def test_a_referral_at_night_is_marked_out_of_hours(client, bot, demo, staff, monkeypatch):
    monkeypatch.setenv("CIS_NOW", "2026-11-24T22:30:00+00:00")
    created = post(client, bot, referral_body(expected_discharge_date="2026-11-30"))
    assert created.status_code == 201
    assert created.get_json()["out_of_hours"] is True


def test_a_professional_may_not_know_the_nhs_number(client, bot, demo):
    created = post(client, bot, referral_body(**{"patient.nhs_number": None}))
    assert created.status_code == 201
    assert created.get_json()["patient"]["nhs_number"] is None


def test_a_best_interests_decision_stands_in_for_consent(client, bot, demo):
    assert post(client, bot, referral_body(consent="best_interests")).status_code == 201


def test_a_returning_client_may_refer_to_reablement(client, bot, demo):
    body = referral_body(service="rehab_reablement", setting="home", expected_discharge_date=None,
                         referrer={"kind": "returning_client", "name": "June Clarke", "relationship": "family",
                                   "phone": "07912 345678"})
    created = post(client, bot, body)
    assert created.status_code == 201
    assert created.get_json()["referrer"]["kind"] == "returning_client"
    assert created.get_json()["referrer"]["relationship"] == "family"


def test_a_retry_with_the_same_key_returns_the_same_referral(app, client, bot, demo):
    body = try_proof(client, bot, referral_body())
    first, second = post(client, bot, body), post(client, bot, body)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.get_json()["id"] == second.get_json()["id"]
    assert first.get_json()["reference"] == second.get_json()["reference"]
    assert count(app) == 1


def test_the_same_key_for_a_different_referral_is_a_conflict(app, client, bot, demo):
    body = try_proof(client, bot, referral_body())
    post(client, bot, body, prove=False)
    response = post(client, bot, {**body, "reason": "Something else"}, key=body["conversation_id"], prove=False)
    assert response.status_code == 409
    assert response.get_json()["error"] == "idempotency_conflict"
    assert count(app) == 1


def test_concurrent_posts_with_one_key_store_one_referral(app, served, bot, demo):
    body = try_proof(app.test_client(), bot, referral_body())

    def send(_n):
        r = requests.post(f"{served}/api/referrals", json=body, headers={**bot, "Idempotency-Key": "same-call"},
                          timeout=60)
        return r.status_code, r.json().get("id")

    results = at_once(send, range(12))
    assert sorted(code for code, _ in results) == [200] * 11 + [201]
    assert len({referral_id for _, referral_id in results}) == 1
    assert count(app) == 1


def test_missing_idempotency_key_is_refused(client, bot, demo):
    response = client.post("/api/referrals", json=referral_body(), headers=bot)
    assert response.status_code == 400
    assert response.get_json()["error"] == "missing_idempotency_key"


@pytest.mark.parametrize("changes,status,code", [
    ({"patient.nhs_number": "9434765918"}, 422, "invalid_nhs_number"),
    ({"patient.postcode": "W2"}, 422, "invalid_postcode"),
    ({"patient.postcode": "W2 9ZZ"}, 422, "unknown_postcode"),
    ({"patient.postcode": "NW1 2DB"}, 422, "out_of_area"),
    ({"patient.phone": "12345"}, 422, "invalid_phone"),
    ({"patient.date_of_birth": "1941-02-30"}, 422, "invalid_date_of_birth"),
    ({"patient.lives_alone": "yes"}, 400, "wrong_type"),
    ({"patient.given_name": None}, 400, "missing_field"),
    ({"difficulties": "mobility"}, 400, "wrong_type"),
    ({"mental_health_crisis": None}, 400, "missing_field"),
    ({"service": "hospital_at_home"}, 400, "invalid_choice"),
    ({"urgency": "whenever"}, 400, "invalid_choice"),
    ({"consent": "refused"}, 422, "consent_required"),
    ({"expected_discharge_date": None}, 400, "missing_field"),
    ({"expected_discharge_date": "2026-11-01"}, 422, "invalid_expected_discharge_date"),
    ({"referrer.registration_number": "71234"}, 422, "invalid_registration_number"),
    ({"referrer.registration_number": "7000000"}, 422, "not_verified"),
    ({"referrer": "Dr Patel"}, 400, "wrong_type"),
    ({"reason": "fall\x00at home"}, 400, "invalid_characters"),   # PostgreSQL would refuse it later
    ({"goals": ["walk\x07"]}, 400, "invalid_characters"),
    ({"reason": "x" * 4001}, 400, "too_long"),
    ({"goals": ["x"] * 21}, 400, "too_many_items"),
])
def test_bad_referrals_get_a_clear_4xx_and_store_nothing(app, client, bot, demo, changes, status, code):
    response = post(client, bot, referral_body(**changes))
    assert response.status_code == status, response.get_json()
    assert response.get_json()["error"] == code
    assert response.get_json()["message"]
    assert count(app) == 0


@pytest.mark.parametrize("changes,code", [
    # A social worker cannot refer to Rapid Response.
    ({"referrer": {"kind": "professional", "registration_body": "SWE", "registration_number": "SW123456"}},
     "not_eligible"),
    # Nor can a member of the public, even for a returning client.
    ({"referrer": {"kind": "returning_client", "name": "June", "relationship": "family", "phone": "07912 345678"}},
     "not_eligible"),
    # A member of the public for someone CIS has never supported: the look-up gave no proof.
    ({"service": "rehab_reablement", "patient.nhs_number": "4505577104",
      "referrer": {"kind": "returning_client", "name": "June", "relationship": "family", "phone": "07912 345678"}},
     "not_verified"),
])
def test_the_service_rules_are_enforced_by_the_case_store(app, client, bot, demo, changes, code):
    response = post(client, bot, referral_body(**changes))
    assert response.status_code == 422
    assert response.get_json()["error"] == code
    assert count(app) == 0


def test_staff_list_newest_first_with_filters(client, bot, demo, staff, cli, monkeypatch):
    post(client, bot, referral_body())
    monkeypatch.setenv("CIS_NOW", "2026-11-25T09:00:00+00:00")
    post(client, bot, referral_body(service="rehab_reablement", channel="voice", **{"patient.postcode": "SW1X 0BH"}))
    staff = {"Authorization": "Bearer " + cli("staff", "token", "--email", staff["email"]).strip()}  # today's
    everything = client.get("/api/referrals", headers=staff).get_json()
    assert everything["count"] == 2
    assert [r["service"] for r in everything["referrals"]] == ["rehab_reablement", "rapid_response"]
    for query, services in (
        ("service=rapid_response", ["rapid_response"]), ("channel=voice", ["rehab_reablement"]),
        ("borough=E09000020", ["rehab_reablement"]), ("borough=E09000033", ["rapid_response"]),
        ("status=new", ["rehab_reablement", "rapid_response"]), ("status=accepted", []),
        ("from=2026-11-25", ["rehab_reablement"]), ("to=2026-11-24", ["rapid_response"]),
    ):
        listed = client.get(f"/api/referrals?{query}", headers=staff).get_json()["referrals"]
        assert [r["service"] for r in listed] == services, query


@pytest.mark.parametrize("query", ["status=lost", "from=yesterday", "limit=-1", "borough=Camden", "limit=²",
                                   "offset=٣"])
def test_bad_filters_are_a_400(client, staff, query):
    response = client.get(f"/api/referrals?{query}", headers=staff)
    assert response.status_code == 400
    assert response.get_json()["message"]


def test_staff_move_a_referral_along_the_allowed_transitions_with_notes(client, bot, demo, staff):
    referral_id = post(client, bot, referral_body()).get_json()["id"]
    url = f"/api/referrals/{referral_id}"
    skipped = client.patch(url, json={"status": "accepted", "note": "ok"}, headers=staff)
    assert skipped.status_code == 409 and skipped.get_json()["error"] == "invalid_transition"
    for missing in ({}, {"note": "   "}):  # the same rule as the console's: every status change has a note
        no_note = client.patch(url, json={"status": "triaged", **missing}, headers=staff)
        assert no_note.status_code == 422 and no_note.get_json()["error"] == "note_required"
        assert "needs a note" in no_note.get_json()["message"]
    triaged = client.patch(url, json={"status": "triaged", "note": "Called the GP back"}, headers=staff)
    assert triaged.status_code == 200 and triaged.get_json()["status"] == "triaged"
    accepted = client.patch(url, json={"status": "accepted", "note": "Visit booked for 2pm"}, headers=staff)
    assert accepted.get_json()["status"] == "accepted"
    changes = [h for h in accepted.get_json()["history"] if h["action"] == "referral.status_changed"]
    assert [(c["detail"]["from"], c["detail"]["to"], c["detail"]["note"]) for c in changes] == [
        ("new", "triaged", "Called the GP back"), ("triaged", "accepted", "Visit booked for 2pm")]
    closed = client.patch(url, json={"status": "declined", "note": "changed mind"}, headers=staff)
    assert closed.status_code == 409


def test_staff_endpoints_refuse_the_service_token_and_bad_tokens(client, bot, demo):
    for headers in ({}, bot, {"Authorization": "Bearer not-a-staff-token"}):
        assert client.get("/api/referrals", headers=headers).status_code == 401
        assert client.get("/api/referrals/1", headers=headers).status_code == 401
        assert client.patch("/api/referrals/1", json={"status": "triaged", "note": "x"},
                            headers=headers).status_code == 401


def test_an_unknown_referral_is_a_json_404(client, staff):
    response = client.get("/api/referrals/999999", headers=staff)
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"


def test_the_bot_cannot_store_a_referral_without_the_service_token(app, client, demo, staff):
    body = referral_body()
    response = client.post("/api/referrals", json=body, headers={**staff, "Idempotency-Key": "k"})
    assert response.status_code == 401
    assert count(app) == 0


def test_viewing_is_audited(app, client, bot, demo, staff):
    referral_id = post(client, bot, referral_body()).get_json()["id"]
    client.get(f"/api/referrals/{referral_id}", headers=staff)
    client.get(f"/api/referrals/{referral_id}", headers=staff)
    db = app.extensions["cis"]["sessions"]()
    views = db.scalars(select(AuditEntry).where(AuditEntry.action == "referral.viewed")).all()
    assert len(views) == 2 and all(v.referral_id == referral_id for v in views)


def test_a_verified_professionals_unfinished_referral_is_kept_as_incomplete(client, bot, demo, staff):
    body = {"status": "incomplete", "channel": "voice", "conversation_id": "CA0123456789abcdef",
            "service": "rapid_response",
            "referrer": {"kind": "professional", "registration_body": "GMC", "registration_number": "7123456",
                         "phone": "020 7946 0999"},
            "patient": {"given_name": "Edith", "family_name": "Clarke", "postcode": "SW1X 0BH"}}
    created = post(client, bot, body)
    assert created.status_code == 201, created.get_json()
    stored = created.get_json()
    assert stored["status"] == "incomplete"
    assert stored["referrer"]["phone"] == "+442079460999"
    assert stored["patient"]["given_name"] == "Edith" and stored["patient"]["date_of_birth"] is None
    assert stored["borough"]["name"] == "Kensington and Chelsea"
    listed = client.get("/api/referrals?status=incomplete", headers=staff).get_json()["referrals"]
    assert [r["id"] for r in listed] == [stored["id"]]


def test_an_incomplete_intake_still_checks_what_it_has_and_never_keeps_the_public(app, client, bot, demo):
    bad_nhs = {"status": "incomplete", "channel": "chat", "conversation_id": "c1",
               "referrer": {"kind": "professional", "registration_body": "GMC", "registration_number": "7123456"},
               "patient": {"nhs_number": "9434765918"}}
    assert post(client, bot, bad_nhs).get_json()["error"] == "invalid_nhs_number"
    public = {"status": "incomplete", "channel": "chat", "conversation_id": "c2",
              "referrer": {"kind": "returning_client", "name": "June", "relationship": "family",
                           "phone": "07912 345678"}}
    response = post(client, bot, public)
    assert response.status_code == 422 and response.get_json()["error"] == "incomplete_needs_professional"
    assert count(app) == 0
