"""The call-backs worklist: incomplete intakes and telephone requests to call back, oldest first with their due
times; each outcome recorded in the audit log; an incomplete intake completed from the console."""
from __future__ import annotations

import html
import re

from sqlalchemy import select

from intake_api.models import AuditEntry, CallbackRequest, IntakeCallback, Referral

from .console import audit_actions, csrf, log_in, status_shown, store_referral
from .payloads import with_proof

ME = "staff:staff@cis.example"
NIGHT_PHONE = "+447700900123"


def incomplete_intake(client, bot, conversation_id: str, **patient) -> dict:
    """A professional's call that ended after the patient's name, as the action server stores it."""
    body = {"status": "incomplete", "channel": "voice", "conversation_id": conversation_id,
            "service": "rapid_response",
            "referrer": {"kind": "professional", "registration_body": "GMC", "registration_number": "7123456",
                         "phone": "020 7946 0999"},
            "patient": {"given_name": "Edith", "family_name": "Clarke", **patient}}
    response = client.post("/api/referrals", json=with_proof(client, bot, body),
                           headers={**bot, "Idempotency-Key": conversation_id})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def requested_call_back(app, call_sid: str, at: str) -> int:
    """A request made by telephone, stored as the voice gateway stores it (its webhook: test_voice_callbacks.py)."""
    from datetime import datetime

    from intake_api.callbacks import request_call_back

    with app.app_context():
        db = app.extensions["cis"]["sessions"]()
        try:
            row, created = request_call_back(db, NIGHT_PHONE, call_sid, app.extensions["cis"]["service"],
                                             datetime.fromisoformat(at))
            assert created
            return row.id
        finally:
            db.close()


def rows(page: str) -> list[str]:
    """The worklist's rows, each as "kind-id", in the order shown."""
    return re.findall(r'data-callback="([a-z]+-\d+)"', page)


def row_text(page: str, key: str) -> str:
    row = re.search(rf'data-callback="{key}">(.*?)</tr>', page, re.S).group(1)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))


def record(client, page: str, key: str, outcome: str | None, note: str = "", token: str | None = None):
    kind, item_id = key.split("-")
    form = {"csrf_token": csrf(page) if token is None else token, "note": note}
    if outcome:
        form["outcome"] = outcome
    return client.post(f"/staff/callbacks/{kind}/{item_id}/outcome", data=form)


def input_value(page: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*value="([^"]*)"', page, re.S).group(1)


def db_of(app):
    return app.extensions["cis"]["sessions"]()


def test_the_worklist_lists_both_kinds_oldest_first_with_due_times(app, client, bot, demo, monkeypatch):
    monkeypatch.setenv("CIS_NOW", "2026-11-23T19:30:00+00:00")  # half an hour before closing
    evening = incomplete_intake(client, bot, "CA-evening")
    night = requested_call_back(app, "CA-night", "2026-11-23T22:15:00+00:00")
    monkeypatch.setenv("CIS_NOW", "2026-11-24T10:00:00+00:00")
    morning = incomplete_intake(client, bot, "CA-morning", postcode="W2 4RJ")
    log_in(client)
    page = client.get("/staff/callbacks").get_data(as_text=True)
    assert rows(page) == [f"intake-{evening['id']}", f"request-{night}", f"intake-{morning['id']}"]
    first = row_text(page, f"intake-{evening['id']}")
    # Received 19:30: due 30 minutes before closing and 30 after opening; now overdue.
    assert "Incomplete intake" in first and "23 Nov 2026 19:30" in first and "24 Nov 2026 08:30 Overdue" in first
    assert evening["reference"] in first and "Dr Asha Patel, 020 7946 0999" in first
    assert "Still needed: Date of birth, Address, Postcode, Phone, Lives alone, Consent" in first
    request = row_text(page, f"request-{night}")
    assert "Call-back request" in request and "24 Nov 2026 09:00 Overdue" in request
    assert "Call back on 07700 900123" in request
    last = row_text(page, f"intake-{morning['id']}")
    assert "24 Nov 2026 11:00" in last and "Overdue" not in last and "Postcode" not in last
    assert 'aria-current="page">Call-backs</a>' in page  # in the header's navigation
    viewed = [e for e in db_of(app).scalars(select(AuditEntry).where(AuditEntry.action == "callbacks.viewed"))]
    assert [(e.actor, e.detail["referral_ids"], e.detail["callback_request_ids"]) for e in viewed] == [
        (ME, [evening["id"], morning["id"]], [night])]
    assert NIGHT_PHONE not in str(viewed[0].detail)


def test_no_answer_keeps_the_item_with_one_more_attempt_due_again_later(app, client, bot, demo, monkeypatch):
    intake = incomplete_intake(client, bot, "CA-no-answer")
    night = requested_call_back(app, "CA-night", "2026-11-23T22:15:00+00:00")
    log_in(client)
    page = client.get("/staff/callbacks").get_data(as_text=True)
    monkeypatch.setenv("CIS_NOW", "2026-11-24T10:20:00+00:00")
    response = record(client, page, f"intake-{intake['id']}", "try_again", note="Voicemail, left a message")
    assert response.status_code == 302 and response.headers["Location"].endswith("/staff/callbacks?recorded=try_again")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Outcome recorded: No answer — try again." in page
    assert rows(page) == [f"request-{night}", f"intake-{intake['id']}"]  # still there, still by received time
    row = row_text(page, f"intake-{intake['id']}")
    assert "24 Nov 2026 11:20" in row and " 1 " in row  # due in the allowance from now; one attempt
    record(client, page, f"request-{night}", "try_again")
    monkeypatch.setenv("CIS_NOW", "2026-11-24T19:50:00+00:00")  # the next try just before closing
    log_in(client)  # the morning's session has long timed out
    assert record(client, client.get("/staff/callbacks").get_data(as_text=True), f"request-{night}",
                  "try_again").status_code == 302
    db = db_of(app)
    request = db.get(CallbackRequest, night)
    assert (request.status, request.attempts, request.outcome) == ("open", 2, "try_again")
    assert request.due_at.isoformat() == "2026-11-25T08:50:00+00:00"  # 10 minutes today, 50 tomorrow
    outcomes = db.scalars(select(AuditEntry).where(AuditEntry.action == "callback.outcome")
                          .order_by(AuditEntry.id)).all()
    assert [(e.actor, e.referral_id, e.detail.get("callback_request_id"), e.detail["outcome"], e.detail["attempts"])
            for e in outcomes] == [(ME, intake["id"], None, "try_again", 1), (ME, None, night, "try_again", 1),
                                   (ME, None, night, "try_again", 2)]
    assert outcomes[0].detail["note"] == "Voicemail, left a message"
    assert not any(NIGHT_PHONE in str(e.detail) or "7946" in str(e.detail) for e in outcomes)
    # The intake's own history shows the outcome.
    history = client.get(f"/staff/referrals/{intake['id']}").get_data(as_text=True)
    assert "Call-back: No answer — try again" in history and "Voicemail, left a message" in history


def test_not_needed_and_reached_close_an_item_but_an_incomplete_intake_must_be_completed_first(app, client, bot,
                                                                                             demo):
    intake = incomplete_intake(client, bot, "CA-closing")
    other = incomplete_intake(client, bot, "CA-not-needed")
    night = requested_call_back(app, "CA-night", "2026-11-23T22:15:00+00:00")
    log_in(client)
    page = client.get("/staff/callbacks").get_data(as_text=True)
    refused = record(client, page, f"intake-{intake['id']}", "completed")
    assert refused.status_code == 409
    text = refused.get_data(as_text=True)
    assert "There is a problem" in text and "Complete the intake first" in text
    assert f'href="/staff/referrals/{intake["id"]}/complete">This intake is still incomplete.' in text
    assert f"intake-{intake['id']}" in rows(text)  # still listed
    assert record(client, page, f"request-{night}", "completed").status_code == 302
    assert record(client, page, f"intake-{other['id']}", "not_needed", note="GP arranged it").status_code == 302
    page = client.get("/staff/callbacks").get_data(as_text=True)
    assert rows(page) == [f"intake-{intake['id']}"]
    db = db_of(app)
    assert (db.get(CallbackRequest, night).status, db.get(CallbackRequest, night).outcome) == ("done", "completed")
    assert db.get(IntakeCallback, other["id"]).outcome == "not_needed"
    assert db.get(Referral, other["id"]).status == "incomplete"  # still in the queue as it was
    assert f"{ME} callback.outcome" in audit_actions(app, other["id"])
    # Closed items take no more outcomes; an outcome must be chosen.
    again = record(client, page, f"request-{night}", "try_again")
    assert again.status_code == 409 and "already been recorded" in again.get_data(as_text=True)
    unchosen = record(client, page, f"intake-{intake['id']}", None)
    assert unchosen.status_code == 422 and "Choose the outcome of the call." in unchosen.get_data(as_text=True)
    assert f'href="#outcome-intake-{intake["id"]}"' in unchosen.get_data(as_text=True)
    assert record(client, page, "request-999", "not_needed").status_code == 404


def test_an_empty_worklist_says_so(client, demo):
    log_in(client)
    assert "No call-backs waiting." in client.get("/staff/callbacks").get_data(as_text=True)


def test_an_outcome_needs_the_forms_csrf_token_and_the_worklist_a_log_in(app, client, bot, demo):
    night = requested_call_back(app, "CA-night", "2026-11-23T22:15:00+00:00")
    response = client.get("/staff/callbacks")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
    log_in(client)
    page = client.get("/staff/callbacks").get_data(as_text=True)
    for token in ("", "not-the-token"):
        refused = record(client, page, f"request-{night}", "not_needed", token=token)
        assert refused.status_code == 403
    assert db_of(app).get(CallbackRequest, night).status == "open"


# --- Completing an incomplete intake ----------------------------------------------------------------------------

GOOD = {"service": "rapid_response", "patient.given_name": "Edith", "patient.family_name": "Clarke",
        "patient.date_of_birth": "1941-03-07", "patient.nhs_number": "943 476 5919",
        "patient.address_line": "Flat 3, 12 Porchester Square", "patient.postcode": "w2 4rj",
        "patient.phone": "07712 345678", "patient.lives_alone": "yes", "consent": "given", "setting": "home",
        "expected_discharge_date": "", "reason": "Fall at home, now unsteady on her feet",
        "difficulties": "mobility\nwashing", "goals": "walk to the local shops", "risks": "falls",
        "mental_health_crisis": "no", "urgency": "urgent"}


def test_an_incomplete_intake_is_completed_from_the_console(app, client, bot, demo):
    intake = incomplete_intake(client, bot, "CA-to-complete")
    log_in(client)
    referral_page = client.get(f"/staff/referrals/{intake['id']}").get_data(as_text=True)
    assert f'href="/staff/referrals/{intake["id"]}/complete">Complete this intake' in referral_page
    form = client.get(f"/staff/referrals/{intake['id']}/complete").get_data(as_text=True)
    assert input_value(form, "patient.given_name") == "Edith"  # what the caller gave, filled in
    assert input_value(form, "patient.postcode") == ""
    assert re.search(r'name="service" type="radio" value="rapid_response" checked', form)
    response = client.post(f"/staff/referrals/{intake['id']}/complete", data={**GOOD, "csrf_token": csrf(form)})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/staff/referrals/{intake['id']}?completed=1")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Intake completed" in page and status_shown(page) == "new" and "Complete this intake" not in page
    stored = client.get(f"/staff/referrals/{intake['id']}.json").get_json()
    assert stored["status"] == "new" and stored["patient"]["nhs_number"] == "9434765919"
    assert stored["patient"]["postcode"] == "W2 4RJ" and stored["patient"]["phone"] == "+447712345678"
    assert stored["borough"] == {"code": "E09000033", "name": "Westminster"}  # routed as a posted referral is
    assert stored["routing"]["contacts"] == [{"name": "Adult Social Care", "phone": "020 7641 2500"}]
    assert stored["difficulties"] == ["mobility", "washing"] and stored["referrer"]["name"] == "Dr Asha Patel"
    assert f"{ME} referral.completed" in audit_actions(app, intake["id"])
    assert f"intake-{intake['id']}" not in rows(client.get("/staff/callbacks").get_data(as_text=True))
    # Now complete, it cannot be completed again: a clear page, not a 500.
    again = client.post(f"/staff/referrals/{intake['id']}/complete", data={**GOOD, "csrf_token": csrf(form)})
    assert again.status_code == 409 and "not an incomplete intake" in again.get_data(as_text=True)
    assert client.get(f"/staff/referrals/{intake['id']}/complete").status_code == 409


def test_bad_answers_are_shown_again_with_every_error_and_nothing_is_stored(app, client, bot, demo):
    intake = incomplete_intake(client, bot, "CA-bad-answers")
    log_in(client)
    form = client.get(f"/staff/referrals/{intake['id']}/complete").get_data(as_text=True)
    bad = {**GOOD, "patient.nhs_number": "943 476 5918", "patient.postcode": "EH54 6PP", "patient.phone": "12345",
           "patient.date_of_birth": "2030-01-01", "setting": "hospital", "urgency": "", "csrf_token": csrf(form)}
    response = client.post(f"/staff/referrals/{intake['id']}/complete", data=bad)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    summary = html.unescape(re.search(r'nhsuk-error-summary__list">(.*?)</ul>', page, re.S).group(1))
    for message in ("That date of birth is in the future", "That NHS number doesn't add up",
                    "outside the CIS area", "doesn't look like a UK phone number",
                    "Enter the expected discharge date", "Select how urgent it is"):
        assert message in summary, message
    assert 'href="#patient-postcode"' in summary and 'href="#urgency-urgent"' in summary
    assert 'id="patient-phone-error"' in page and input_value(page, "patient.phone") == "12345"  # as typed
    assert db_of(app).get(Referral, intake["id"]).status == "incomplete"
    assert f"{ME} referral.completed" not in audit_actions(app, intake["id"])


def test_a_complete_referral_has_no_completion_form(client, bot, demo):
    stored = store_referral(client, bot)
    log_in(client)
    page = client.get(f"/staff/referrals/{stored['id']}/complete")
    assert page.status_code == 409 and "nothing to complete" in page.get_data(as_text=True)


def test_answers_too_long_for_the_case_store_are_named_by_their_label(client, bot, demo):
    intake = incomplete_intake(client, bot, "CA-too-long")
    log_in(client)
    form = client.get(f"/staff/referrals/{intake['id']}/complete").get_data(as_text=True)
    response = client.post(f"/staff/referrals/{intake['id']}/complete", data={
        **GOOD, "patient.given_name": "E" * 101, "goals": "\n".join(f"goal {n}" for n in range(21)),
        "csrf_token": csrf(form)})
    summary = html.unescape(re.search(r'nhsuk-error-summary__list">(.*?)</ul>', response.get_data(as_text=True),
                                      re.S).group(1))
    assert "Given name is longer than 100 characters." in summary
    assert "That's 21 items; I can keep up to 20." in summary and "goals:" not in summary


def test_an_intake_moved_on_by_a_status_change_leaves_the_worklist(client, bot, demo):
    declined = incomplete_intake(client, bot, "CA-declined")
    kept = incomplete_intake(client, bot, "CA-kept")
    log_in(client)
    page = client.get(f"/staff/referrals/{declined['id']}").get_data(as_text=True)
    assert client.post(f"/staff/referrals/{declined['id']}/status", data={
        "status": "declined", "note": "Referred elsewhere by the GP", "csrf_token": csrf(page)}).status_code == 302
    assert rows(client.get("/staff/callbacks").get_data(as_text=True)) == [f"intake-{kept['id']}"]
