"""Storing a confirmed referral: one Idempotency-Key per referral, the outbox when the API does not answer in
time (delivered once when it is back), and back to the read-back when the API refuses a field. The intake
API is a small local HTTP server here; the whole service is tried in tests/security."""
import asyncio

import pytest
from aiohttp import web
from rasa_sdk.events import AllSlotsReset, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import intake_client, outbox
from actions.authentication import ValidateProfessionalForm
from actions.submission import ActionSubmitReferral, referral_payload

from .trackers import tracker

COMPLETE_SLOTS = {
    "caller_type": "professional", "registration_number": "GMC 7123456", "verification": "token-from-the-api",
    "service": "rapid_response", "patient_name": "Edith Clarke", "patient_date_of_birth": "1941-03-07",
    "patient_nhs_number": "9434765919", "patient_address": "12 Porchester Square", "patient_postcode": "W2 4RJ",
    "patient_phone": "+447712345678", "lives_alone": True, "consent": "given", "setting": "home", "reason": "fall",
    "difficulties": ["mobility"], "goals": "walk to the shops", "risks": [], "mental_health_crisis": False,
    "urgency": "urgent",
}


class IntakeAPI:
    """POST /api/referrals: ``answers`` in turn (a status and a body; "hang" never answers), then 201 for
    each new key and the same referral again for a key it has stored."""

    def __init__(self, *answers):
        self.answers, self.keys, self.stored = list(answers), [], {}

    async def handle(self, request: web.Request) -> web.Response:
        key = request.headers.get("Idempotency-Key")
        self.keys.append(key)
        if self.answers:
            answer = self.answers.pop(0)
            if answer == "hang":
                await asyncio.sleep(2)  # longer than the caller is kept waiting (SUBMIT_SECONDS, 1 s here)
                answer = (504, {"error": "timeout"})
            status, body = answer
            return web.json_response(body, status=status)
        first = key not in self.stored
        self.stored.setdefault(key, await request.json())
        return web.json_response({"reference": f"KT{len(self.stored)}789", "out_of_hours": False, "borough": None,
                                  "patient": {"phone": "+447712345678"}}, status=201 if first else 200)


async def serving(api: IntakeAPI, monkeypatch, work):
    app = web.Application()
    app.router.add_post("/api/referrals", api.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    monkeypatch.setenv("INTAKE_API_URL", f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}")
    try:
        return await work()
    finally:
        await runner.cleanup()


def submit(api: IntakeAPI, monkeypatch, slots=None) -> tuple[list, list[str]]:
    dispatcher = CollectingDispatcher()

    async def work():
        t = tracker("yes", intent="affirm", slots=slots or COMPLETE_SLOTS, sender="chat-conv42")
        return await ActionSubmitReferral().run(dispatcher, t, {})

    events = asyncio.run(serving(api, monkeypatch, work))
    return events, [m.get("text") or "" for m in dispatcher.messages]


@pytest.fixture(autouse=True)
def quick(monkeypatch, tmp_path):
    monkeypatch.setenv("OUTBOX_PATH", str(tmp_path / "outbox.sqlite3"))
    monkeypatch.setattr(intake_client, "RETRY_DELAYS", (0.01, 0.01, 0.01))


def test_the_payload_names_the_check_and_keeps_lists_as_lists():
    payload = referral_payload(tracker("yes", slots=COMPLETE_SLOTS))
    assert payload["referrer"]["verification"] == "token-from-the-api"
    assert payload["goals"] == ["walk to the shops"] and payload["difficulties"] == ["mobility"]


def test_a_brief_outage_is_retried_with_one_key_and_stored_once(monkeypatch):
    api = IntakeAPI((503, {"error": "internal_error"}), (503, {"error": "internal_error"}))
    events, said = submit(api, monkeypatch)
    assert len(api.keys) == 3 and len(set(api.keys)) == 1 and api.keys[0].startswith("chat-conv42/")
    assert len(api.stored) == 1 and "KT1789" in " ".join(said)
    assert SlotSet("submission", "stored") in events and AllSlotsReset() in events


def test_each_referral_of_a_conversation_has_its_own_key(monkeypatch):
    api = IntakeAPI()
    submit(api, monkeypatch)
    submit(api, monkeypatch)
    assert len(api.stored) == 2 and all(key.startswith("chat-conv42/") for key in api.stored)


def test_an_api_that_does_not_answer_in_time_puts_the_referral_in_the_outbox(monkeypatch):
    monkeypatch.setattr(intake_client, "SUBMIT_SECONDS", 1.0)
    api = IntakeAPI("hang")
    events, said = submit(api, monkeypatch)
    assert "kept the referral safely" in said[0] and "don't need to call" in said[0]
    assert events == [AllSlotsReset(), SlotSet("submission", "queued")]
    (key, _payload), = outbox.waiting()

    async def deliver_twice():
        return await outbox.deliver_waiting(), await outbox.deliver_waiting()

    assert asyncio.run(serving(api, monkeypatch, deliver_twice)) == (1, 0)
    assert list(api.stored) == [key] and outbox.waiting() == []


def test_a_field_the_api_refuses_takes_the_caller_back_to_correct_it(monkeypatch):
    refusal = (400, {"error": "too_long", "field": "reason", "message": "reason is longer than 4000 characters."})
    events, said = submit(IntakeAPI(refusal), monkeypatch)
    assert "Let's change the reason for referral" in said[0]
    assert SlotSet("correction", "reason") in events and events[-1] == FollowupAction("confirm_form")
    assert not any(isinstance(e, dict) and e.get("event") == "reset_slots" for e in events)


def test_a_refusal_that_cannot_be_corrected_is_told_plainly(monkeypatch):
    refusal = (422, {"error": "not_verified", "field": "referrer.verification",
                     "message": "That registration has been locked since it was verified."})
    events, said = submit(IntakeAPI(refusal), monkeypatch)
    assert "couldn't be stored" in said[0] and "0300 033 0333" in said[0]
    assert SlotSet("submission", "failed") in events


def pin_answer(metadata: dict | None) -> tuple[dict, list[str]]:
    t = tracker("/inform", slots={"registration_number": "GMC 7123456"})
    t.latest_message["metadata"] = metadata or {}
    dispatcher = CollectingDispatcher()
    result = ValidateProfessionalForm().validate_pin("/inform", dispatcher, t, {})
    return result, [m["text"] for m in dispatcher.messages]


@pytest.mark.parametrize("metadata", [None, {"pin_check": {}}, {"pin_check": {"outcome": "invalid"}}])
def test_without_the_channels_pin_check_nothing_is_verified(metadata):
    result, said = pin_answer(metadata)
    assert result["pin"] is None and "auth_outcome" not in result
    assert "6 digits" in said[0]


def test_the_channels_outcome_decides_the_pin():
    referrer = {"name": "Dr Asha Patel", "organisation": "Westbourne Green Surgery"}
    verified, said = pin_answer({"pin_check": {"outcome": "verified", "referrer": referrer, "verification": "t"}})
    assert verified["auth_outcome"] == "verified" and verified["verification"] == "t" and "Dr Asha Patel" in said[0]
    assert pin_answer({"pin_check": {"outcome": "locked"}})[0]["auth_outcome"] == "locked"
    wrong, said = pin_answer({"pin_check": {"outcome": "not_verified"}})
    assert wrong == {"registration_number": None, "pin": None} and "couldn't verify" in said[0]
