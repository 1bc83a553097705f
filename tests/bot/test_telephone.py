"""The end of a telephone call (actions/telephone.py) and the telephone's wording, against recorded trackers."""
import asyncio

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset
from rasa_sdk.executor import CollectingDispatcher

from actions import intake_client, telephone
from actions.interruptions import ActionHandoff
from actions.questions import question

from .trackers import tracker

VERIFIED = {"caller_type": "professional", "auth_outcome": "verified", "registration_number": "GMC 7123456",
            "verification": "token-of-the-pin-check", "service": "rapid_response", "patient_name": "Edith Clarke", "patient_date_of_birth": "1941-03-07",
            "expected_discharge_date": "not_applicable"}


def ended_call(slots: dict, channel: str = "voice") -> Tracker:
    """A conversation whose last turn came from the voice gateway, with the caller's number."""
    t = tracker("Edith Clarke", slots=slots, channel=channel, active_loop="patient_form", sender="CA123")
    t.events[-1]["metadata"] = {"callback_phone": "+442079460555"}
    return t


def run_call_ended(t: Tracker, monkeypatch) -> tuple[list, list]:
    stored = []

    async def submit(payload, key):
        stored.append((payload, key))
        return intake_client.Reply(201, {"reference": "AC3467"})

    monkeypatch.setattr(intake_client, "submit_referral", submit)
    events = asyncio.run(telephone.ActionCallEnded().run(CollectingDispatcher(), t, {}))
    return events, stored


def test_a_verified_professionals_unfinished_referral_is_kept_as_incomplete_with_the_callback_number(monkeypatch):
    events, stored = run_call_ended(ended_call(VERIFIED), monkeypatch)
    [(payload, key)] = stored
    assert key == "CA123/call-ended"
    assert payload["status"] == "incomplete" and payload["channel"] == "voice" and payload["conversation_id"] == "CA123"
    assert payload["referrer"] == {"kind": "professional", "registration_body": "GMC", "registration_number": "7123456",
                                   "phone": "+442079460555", "verification": "token-of-the-pin-check"}
    assert payload["patient"]["given_name"] == "Edith" and payload["patient"]["date_of_birth"] == "1941-03-07"
    assert payload["patient"]["nhs_number"] is None and payload["patient"]["lives_alone"] is None
    assert payload["expected_discharge_date"] is None and payload["urgency"] is None
    assert events == [ActiveLoop(None), AllSlotsReset()]


def test_a_public_caller_or_a_stored_referral_keeps_nothing(monkeypatch):
    for slots in ({"caller_type": "public", "client_nhs_number": "9434765919"}, {"referral_reference": "AC3467"}):
        events, stored = run_call_ended(ended_call(slots), monkeypatch)
        assert stored == [] and events == [ActiveLoop(None), AllSlotsReset()]


def test_only_telephone_calls_end(monkeypatch):
    events, stored = run_call_ended(ended_call(VERIFIED, channel="rest"), monkeypatch)
    assert stored == [] and events == []


def test_a_withheld_or_foreign_number_is_not_taken_as_the_callback_number():
    assert telephone.callback_number("+447712345678") == "+447712345678"
    assert telephone.callback_number("anonymous") is None and telephone.callback_number(None) is None


def test_on_the_phone_the_pin_is_asked_for_on_the_keypad():
    assert "keypad" in question("pin", "voice")
    assert "keypad" not in question("pin", "chat")


def test_speak_to_a_person_on_the_phone_signals_the_gateway(monkeypatch):
    for now, signal in (("2026-11-24T10:00:00+00:00", "transfer"), ("2026-11-24T22:00:00+00:00", "offer_callback")):
        monkeypatch.setenv("CIS_NOW", now)
        dispatcher = CollectingDispatcher()
        asyncio.run(ActionHandoff().run(dispatcher, tracker("speak to a person", channel="voice"), {}))
        assert dispatcher.messages[-1]["custom"] == {"voice": signal}
