"""What every form's validation shares: 999 advice first, specific re-asks, and a way out after two failures."""
from __future__ import annotations

from abc import abstractmethod
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from intake_api.clock import now
from intake_api.service_definition import ServiceDefinition, load_cached

from .safety import EMERGENCY_ADVICE, is_emergency

FAILURES_BEFORE_OFFER = 2
# For a question that does not apply (no discharge date for a patient at home). Rasa re-asks a form's
# slots in the domain's order after an interruption, so such a slot must not stay empty.
NOT_APPLICABLE = "not_applicable"


def service() -> ServiceDefinition:
    return load_cached()


def today():
    return now().astimezone(service().timezone).date()


def channel_of(tracker: Tracker) -> str:
    return "voice" if tracker.get_latest_input_channel() == "voice" else "chat"


def out_of_hours_notice() -> str:
    d = service()
    return (f"The team is available from {d.opens:%H:%M} to {d.closes:%H:%M} every day. I can take your referral now, "
            f"and the team will pick it up from {d.opens:%H:%M}. If the need is urgent, call NHS "
            f"{d.urgent_advice_number}, or {d.emergency_number} in an emergency.")


def opening(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """Before the assistant's very first question: who it is, and the hours when the team is closed."""
    if any(event.get("event") == "bot" for event in tracker.events):
        return
    definition = service()
    dispatcher.utter_message(text=f"Hello, this is the {definition.name} referral line for "
                                  f"{' and '.join(b.name for b in definition.boroughs.values())}.")
    if not definition.is_open(now()):
        dispatcher.utter_message(text=out_of_hours_notice())


def advised_since_last_message(tracker: Tracker) -> bool:
    """Whether 999 advice has already been given in answer to the caller's latest message."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "bot" and event.get("text") == EMERGENCY_ADVICE:
            return True
    return False


class ReferralFormValidation(FormValidationAction):
    """Base for the validate_<form> actions. Subclasses write ``validate_<slot>`` methods that
    return the slot's normalised value, or ``self.reask(...)`` with the reason it was refused."""

    @abstractmethod
    def name(self) -> str:
        """validate_<form name>"""

    # Slots whose answer is kept even if it describes an emergency (the clinical story itself).
    keeps_emergency_text: tuple[str, ...] = ()
    # Slots the caller may leave out after two failed tries.
    optional_slots: tuple[str, ...] = ()

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        requested = tracker.get_slot("requested_slot")
        if is_emergency(tracker) and not advised_since_last_message(tracker):
            dispatcher.utter_message(text=EMERGENCY_ADVICE)
            if requested and requested not in self.keeps_emergency_text:
                # Not an answer to the question: ask it again after the advice.
                return [SlotSet(requested, None)]
        events = await super().run(dispatcher, tracker, domain)
        answered = any(e.get("event") == "slot" and e.get("name") != "requested_slot" for e in events)
        if answered and tracker.get_slot("stop_requested"):
            # They carried on. (Only alongside an answer: an event of its own would stop the form
            # from stepping aside for "stop", "start again" or "speak to a person".)
            events.append(SlotSet("stop_requested", None))
        return events

    def reask(self, dispatcher: CollectingDispatcher, tracker: Tracker, slot: str, message: str) -> dict[str, Any]:
        """Refuse an answer with a specific reason; after two failures offer to skip or hand over."""
        failures = dict(tracker.get_slot("failures") or {})
        failures[slot] = failures.get(slot, 0) + 1
        if failures[slot] >= FAILURES_BEFORE_OFFER:
            if slot in self.optional_slots:
                message += " If you don't have it, say \"don't know\" and we'll carry on without it."
            else:
                message += (f" If you'd rather speak to someone, say \"speak to a person\", or call the "
                            f"{service().referral_line} on {service().referral_line_phone}.")
        dispatcher.utter_message(text=message)
        return {slot: None, "failures": failures}
