"""An emergency pauses the referral: after the 999 advice nothing else is asked until the caller says to carry on.

In the web chat the referral waits for "carry on" (or "stop"). On the telephone the caller is offered the end of
the call so they can dial 999; a verified professional's answers so far are then kept as an incomplete intake
(actions/telephone.py), as for any call that ends part way.
"""
from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from .context import channel_of, service
from .decision import intent_of
from .safety import emergency_advice

PAUSED = "emergency_paused"

RESUME, END_CALL = "resume", "end_call"


def pause(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """The 999 advice, and what happens to the referral now."""
    dispatcher.utter_message(text=emergency_advice(service()))
    if channel_of(tracker) == "voice":
        dispatcher.utter_message(text=f"Shall I end this call now, so you can call {service().emergency_number}? "
                                      f"{_kept(tracker)}Say yes to end the call, or carry on to continue.")
    else:
        dispatcher.utter_message(text="I've paused the referral. When you're ready, say \"carry on\" and we'll "
                                      "pick up where we left off, or \"stop\" to end it.")
    return [SlotSet(PAUSED, True)]


def _kept(tracker: Tracker) -> str:
    """On the telephone only a verified professional's unfinished referral is kept (actions/telephone.py)."""
    if tracker.get_slot("caller_type") == "professional" and tracker.get_slot("auth_outcome") == "verified":
        return "What you've told me so far will be kept for the team. "
    return ""


def decision(tracker: Tracker) -> str | None:
    """What the caller's latest words say about a paused referral: carry on, end the call (telephone), or
    neither (the referral stays paused)."""
    intent = intent_of(tracker)
    voice = channel_of(tracker) == "voice"
    if intent == "carry_on" or (intent == "deny" and voice):
        return RESUME
    if intent == "affirm":
        return END_CALL if voice else RESUME
    return None


def end_call(dispatcher: CollectingDispatcher) -> None:
    dispatcher.utter_message(text=f"OK. Please call {service().emergency_number} now. Goodbye.")
    dispatcher.utter_message(json_message={"voice": "hang_up"})


def still_paused(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    if channel_of(tracker) == "voice":
        dispatcher.utter_message(text="The referral is paused. Say yes to end the call, or carry on to continue.")
    else:
        dispatcher.utter_message(text="The referral is paused. Say \"carry on\" when you're ready, or \"stop\" "
                                      "to end it.")
