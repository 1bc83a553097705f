"""What every form's validation shares: 999 advice first, specific re-asks, and a way out after two failures."""
from __future__ import annotations

import logging
from abc import abstractmethod
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict
from rasa_sdk.utils import call_potential_coroutine

from referral_rules.clock import now
from referral_rules.contract import NOT_APPLICABLE  # noqa: F401  (the forms import it from here)

from . import pause
from .context import channel_of, service, today  # noqa: F401  (the forms import them from here)
from .decision import says_carry_on
from .questions import person_of, question, quick_replies
from .safety import emergency_advice, is_emergency

log = logging.getLogger(__name__)

FAILURES_BEFORE_OFFER = 2


def out_of_hours_notice() -> str:
    """When the team is closed: its hours, and where urgent need goes ("" for a line open 24/7)."""
    d = service()
    if d.always_open:
        return ""
    return (f"The team is available from {d.opens:%H:%M} to {d.closes:%H:%M} every day. I can take your referral now, "
            f"and the team will pick it up from {d.opens:%H:%M}. If the need is urgent, call NHS "
            f"{d.urgent_advice_number}, or {d.emergency_number} in an emergency.")


def opening(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """Before the assistant's very first question: who it is, and the hours when the team is closed."""
    if dispatcher.messages or any(event.get("event") == "bot" for event in tracker.events):
        return
    definition = service()
    dispatcher.utter_message(text=f"Hello, this is the {definition.name} referral line for {definition.area_name}.")
    if not definition.is_open(now()):
        dispatcher.utter_message(text=out_of_hours_notice())


def advised_since_last_message(tracker: Tracker) -> bool:
    """Whether 999 advice has already been given in answer to the caller's latest message."""
    advice = emergency_advice(service())
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "bot" and event.get("text") == advice:
            return True
    return False


def asked_since_last_message(tracker: Tracker) -> bool:
    """Whether the caller has been asked something since their latest message (an interruption's re-ask)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "bot":
            return (event.get("text") or "").rstrip().endswith("?")
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
        failures_before = dict(tracker.get_slot("failures") or {})  # (the validation updates the tracker's slots)
        if tracker.get_slot(pause.PAUSED):
            return await self._while_paused(dispatcher, tracker, domain, failures_before)
        if is_emergency(tracker) and not advised_since_last_message(tracker):
            return await self._emergency(dispatcher, tracker, domain)
        requested = tracker.get_slot("requested_slot")
        if says_carry_on(tracker) and requested in tracker.slots_to_validate():
            tracker.slots[requested] = None  # nothing was paused: "carry on" is no answer, so the question again
            return self._then_ask([SlotSet(requested, None)], dispatcher, tracker, domain, failures_before)
        # An interruption that took the caller's words as an answer and re-asked (ActionStop) has asked already.
        asked_already = tracker.get_slot("requested_slot") if asked_since_last_message(tracker) else None
        events = await self._validated(dispatcher, tracker, domain)
        return self._then_ask(events, dispatcher, tracker, domain, failures_before, asked_already)

    def _then_ask(self, events, dispatcher, tracker, domain, failures_before, asked_already=None) -> list[EventType]:
        asked = self._ask_next(dispatcher, tracker, domain, events, failures_before, asked_already)
        if asked:  # one requested_slot event, the last word (rasa_sdk sets one too when required_slots is overridden)
            events = [e for e in events if not (e.get("event") == "slot" and e.get("name") == "requested_slot")]
        return events + asked

    async def _emergency(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                         domain: DomainDict) -> list[EventType]:
        """999 advice, and the referral waits (actions/pause.py). The words are no answer to the question,
        unless the question was for the clinical story itself; either way the next question waits too."""
        requested = tracker.get_slot("requested_slot")
        if requested in self.keeps_emergency_text:
            events = await self._validated(CollectingDispatcher(), tracker, domain)  # (a re-ask would be a question)
            events = [e for e in events if not (e.get("event") == "slot" and e.get("name") == "requested_slot")]
        else:
            events = [SlotSet(requested, None)] if requested else []
        return events + pause.pause(dispatcher, tracker)

    async def _while_paused(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict,
                            failures_before: dict[str, int]) -> list[EventType]:
        """Nothing is taken as an answer while paused. The form also runs after an interruption (stop, speak to
        a person) that has answered the caller itself: then it says nothing."""
        requested = tracker.get_slot("requested_slot")
        if requested not in tracker.slots_to_validate():
            return []
        events = [SlotSet(requested, None)]
        if is_emergency(tracker):
            return events + pause.pause(dispatcher, tracker)
        decided = pause.decision(tracker)
        if decided == pause.END_CALL:
            pause.end_call(dispatcher)
            return events
        if decided != pause.RESUME:
            pause.still_paused(dispatcher, tracker)
            return events
        tracker.slots[requested] = None
        return self._then_ask(events + [SlotSet(pause.PAUSED, None)], dispatcher, tracker, domain, failures_before)

    async def _validated(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                         domain: DomainDict) -> list[EventType]:
        events = await super().run(dispatcher, tracker, domain)
        answered = any(e.get("event") == "slot" and e.get("name") != "requested_slot" for e in events)
        if answered and tracker.get_slot("stop_requested"):
            # They carried on. (Only alongside an answer: an event of its own would stop the form
            # from stepping aside for "stop", "start again" or "speak to a person".)
            events.append(SlotSet("stop_requested", None))
        return events

    async def get_validation_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> list[EventType]:
        """As rasa_sdk's own, with each ``validate_<slot>`` called through ``checked``."""
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        slots = {name: value for name, value in tracker.slots_to_validate().items() if name in required}
        for name, value in list(slots.items()):
            result = await self.checked(name, value, dispatcher, tracker, domain)
            slots.update(result)
            tracker.slots.update(result)  # visible to the next validate_<slot>, as in rasa_sdk
        return [SlotSet(name, value) for name, value in slots.items()]

    async def checked(self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                      domain: DomainDict) -> dict[str, Any]:
        """The slot's ``validate_<slot>``, whoever gives the value (the form, an interruption, a correction at
        the read-back). If it raises, the caller hears a short apology and the question again: an answer
        never ends the conversation. Only the exception's type is logged: its message, like the value, can
        hold a PIN, a patient identifier or a date of birth."""
        validate = getattr(self, f"validate_{slot}", None)
        if validate is None:
            return {slot: value}
        try:
            return await call_potential_coroutine(validate(value, dispatcher, tracker, domain))
        except Exception as exc:  # noqa: BLE001 - the safety net: whatever it was, the caller gets a reply
            log.error("%s could not check %s: %s", self.name(), slot, type(exc).__name__)
            return self.reask(dispatcher, tracker, slot, "Sorry, I couldn't take that answer.")

    def _ask_next(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict,
                  events: list[EventType], failures_before: dict[str, int],
                  asked_already: str | None = None) -> list[EventType]:
        """Ask the form's next question here, in the same call (the domain has no action_ask_<slot>, so
        Rasa's form asks nothing itself): one round trip to the action server per turn instead of two.
        Rasa calls this action on every run of the form, also when it comes back after an interruption."""
        if any(e.get("event") == "active_loop" and e.get("name") is None for e in events):
            return []  # the validation ended the conversation's forms (refused, out of area, no consent)
        for event in events:
            if event.get("event") == "slot":
                tracker.slots[event["name"]] = event["value"]
        chosen = [e["value"] for e in events if e.get("event") == "slot" and e.get("name") == "requested_slot"]
        if chosen:
            slot = chosen[-1]
        else:  # the order Rasa itself would ask in
            slot = next((s for s in self.domain_slots(domain) if tracker.slots.get(s) is None), None)
        reasked = (tracker.get_slot("failures") or {}).get(slot, 0) > failures_before.get(slot, 0)
        if dispatcher.messages:  # (a re-ask that is itself a question is not followed by another)
            asked = reasked and (dispatcher.messages[-1].get("text") or "").endswith("?")
        else:
            asked = slot == asked_already
        if slot and not asked:
            self.ask(slot, dispatcher, tracker)
        return [SlotSet("requested_slot", slot)]

    def ask(self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        """The question for ``slot``: an ``ask_<slot>`` method of the form if it has one, else the wording in
        actions/questions.py, in the first person to someone referring themself. The very first question comes
        after the greeting."""
        opening(dispatcher, tracker)
        special = getattr(self, f"ask_{slot}", None)
        if special:
            special(dispatcher, tracker)
        else:
            dispatcher.utter_message(text=question(slot, channel_of(tracker), service(), person_of(tracker)),
                                     buttons=quick_replies(slot))

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
        dispatcher.utter_message(text=message, buttons=quick_replies(slot))
        return {slot: None, "failures": failures}
