"""Out of hours, a caller who asks for a person is offered a call back when the team opens: pressing 1 stores one
request with the number Twilio gives (signed webhooks, the real case store). The whole call, through the
assistant: tests/e2e/test_voice_calls.py."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from intake_api.models import AuditEntry, CallbackRequest
from intake_api.voice import routes
from intake_api.voice.rasa_relay import BotReply

TOKEN = "test-twilio-token"
BASE = "https://cis.example.org"
CALL = {"CallSid": "CA-night-1", "From": "+447712345678", "To": "+443000330333", "CallStatus": "in-progress",
        "AccountSid": "AC0", "Direction": "inbound"}
CLOSED_WORDS = "The team is closed just now. They're on 0300 033 0333, option 2, from 08:00 to 20:00 every day."


@pytest.fixture
def gateway(app, monkeypatch):
    """The app with Twilio's auth token set, at 21:30 (closed)."""
    monkeypatch.setitem(app.config, "TWILIO_AUTH_TOKEN", TOKEN)
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", BASE)
    monkeypatch.setenv("CIS_NOW", "2026-11-24T21:30:00+00:00")
    return app


def post(app, path, token=TOKEN, **fields):
    params = {**CALL, **fields}
    signature = RequestValidator(token).compute_signature(BASE + path, params)
    return app.test_client().post(path, data=params, headers={"X-Twilio-Signature": signature})


def twiml(response) -> ET.Element:
    assert response.status_code == 200, response.data
    return ET.fromstring(response.data)


def said(root) -> str:
    return " ".join(s.text for s in root.iter("Say"))


def requests_stored(app) -> list[tuple]:
    db = app.extensions["cis"]["sessions"]()
    try:
        return [(r.call_sid, r.phone, r.service_file, r.status, r.attempts, r.due_at.isoformat(),
                 r.requested_at.isoformat()) for r in db.scalars(select(CallbackRequest))]
    finally:
        db.close()


def spoken(app, reply: BotReply) -> ET.Element:
    """The gateway's answer to the assistant's turn."""
    with app.test_request_context("/voice/turn", method="POST", data=CALL):
        return ET.fromstring(routes.answer_bot(reply).get_data())


@pytest.mark.parametrize("now", ["2026-11-24T21:30:00+00:00", "2026-11-25T02:00:00+00:00"])
def test_out_of_hours_a_request_for_a_person_offers_a_call_back_when_the_team_opens(gateway, monkeypatch, now):
    monkeypatch.setenv("CIS_NOW", now)
    root = spoken(gateway, BotReply(texts=[CLOSED_WORDS], signals=["offer_callback"]))
    assert [child.tag for child in root] == ["Gather", "Say", "Hangup"]
    gather = root.find("Gather")
    assert (gather.get("input"), gather.get("numDigits"), gather.get("action")) == ("dtmf", "1", "callback")
    assert said(gather).startswith("The team is closed just now.")
    assert said(gather).endswith("If you'd like the team to call you back on the number you're calling from when "
                                 "they open at 08:00, press 1. Otherwise, just hang up.")
    assert said(root).endswith("Thank you for calling the Community Independence Service. Goodbye.")  # silence
    assert requests_stored(gateway) == []  # nothing until the caller presses 1


def test_in_hours_a_request_for_a_person_is_put_through_as_before(gateway, monkeypatch):
    monkeypatch.setenv("CIS_NOW", "2026-11-24T10:00:00+00:00")
    monkeypatch.setitem(gateway.config, "SPR_STAFF_NUMBER", "+442079460999")
    root = spoken(gateway, BotReply(texts=["I'll put you through to the team now."], signals=["transfer"]))
    assert [d.text for d in root.iter("Dial")] == ["+442079460999"] and root.find("Gather") is None
    root = spoken(gateway, BotReply(texts=["Goodbye."], signals=["hang_up"]))
    assert [child.tag for child in root] == ["Say", "Hangup"]


def test_pressing_1_stores_one_request_with_the_callers_number_however_often_it_is_pressed(gateway):
    first = twiml(post(gateway, "/voice/callback", Digits="1"))
    assert said(first) == ("Thank you. The team will call you back on the number ending 6 7 8 after 08:00. "
                           "Goodbye.") and first[-1].tag == "Hangup"
    again = twiml(post(gateway, "/voice/callback", Digits="1"))  # Twilio retried, or the caller pressed again
    assert said(again) == said(first)
    assert requests_stored(gateway) == [("CA-night-1", "+447712345678", "cis", "open", 0,
                                         "2026-11-25T09:00:00+00:00", "2026-11-24T21:30:00+00:00")]
    db = gateway.extensions["cis"]["sessions"]()
    try:
        entries = db.scalars(select(AuditEntry).where(AuditEntry.action == "callback.requested")).all()
        assert [(e.actor, e.detail) for e in entries] == [
            ("service", {"callback_request_id": db.scalar(select(func.min(CallbackRequest.id))), "channel": "voice"})]
    finally:
        db.close()


@pytest.mark.parametrize("keys", ["", "2", "11"])
def test_silence_or_another_key_says_goodbye_and_stores_nothing(gateway, keys):
    root = twiml(post(gateway, "/voice/callback", Digits=keys))
    assert said(root) == "Thank you for calling the Community Independence Service. Goodbye."
    assert root[-1].tag == "Hangup" and requests_stored(gateway) == []


@pytest.mark.parametrize("caller", ["anonymous", "+266696687", "", "+12025550123"])
def test_a_withheld_or_unusable_number_is_not_booked_and_the_caller_is_told(gateway, caller):
    root = twiml(post(gateway, "/voice/callback", Digits="1", From=caller))
    assert said(root).startswith("I can't see your number, so I can't book a call back.")
    assert said(root).endswith("Goodbye.") and root[-1].tag == "Hangup"
    assert requests_stored(gateway) == []


def test_the_offer_takes_signed_requests_only(gateway):
    client = gateway.test_client()
    assert client.post("/voice/callback", data={**CALL, "Digits": "1"}).status_code == 403
    assert post(gateway, "/voice/callback", token="someone-else", Digits="1").status_code == 403
    assert requests_stored(gateway) == []
