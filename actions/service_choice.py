"""Rapid Response or Rehabilitation and Reablement, within what this referrer may refer to."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from .form_base import ReferralFormValidation, service
from .parsing import YES_NO, choose, intent_of, question_instead, yes_or_no

SERVICE_WORDS = {
    "rapid_response": ("rapid", "rapid response", "rr", "urgent", "crisis", "today", "five day", "5 day", "quick"),
    "rehab_reablement": ("rehab", "rehabilitation", "reablement", "re ablement", "therapy", "six week", "6 week",
                         "physio", "ot", "independent", "independence"),
}
INTENT_SERVICE = {"choose_rapid_response": "rapid_response", "choose_reablement": "rehab_reablement"}
# A service named before the question ("I'd like to refer her to Rapid Response"): only its own name counts.
MENTION_WORDS = {"rapid_response": ("rapid response",),
                 "rehab_reablement": ("reablement", "re ablement", "rehabilitation and reablement")}


def referrer_kind(tracker: Tracker) -> str:
    if tracker.get_slot("caller_type") == "public":
        return "returning_client"
    return (tracker.get_slot("referrer") or {}).get("kind", "health_professional")


def allowed_services(tracker: Tracker) -> list[str]:
    return service().services_for(referrer_kind(tracker))


def service_mentioned(tracker: Tracker) -> str | None:
    """The one service the caller has named by name so far in the conversation, if they named just one."""
    named = {choose(event.get("text") or "", MENTION_WORDS) for event in tracker.events if event.get("event") == "user"}
    named.discard(None)
    return named.pop() if len(named) == 1 else None


def services_explained(allowed: list[str]) -> str:
    """What each service is, and the question again: for a caller who asked rather than chose."""
    services = [service().services[key] for key in allowed]
    said = " ".join(f"{s.name} is {s.summary}." for s in services)
    if len(services) == 1:
        return f"{said} I can take a referral to {services[0].name}. Shall we go ahead?"
    return f"{said} Which one is the referral for?"


class ValidateServiceForm(ReferralFormValidation):
    def name(self) -> str:
        return "validate_service_form"

    def validate_service(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        allowed = allowed_services(tracker)
        if question_instead(value, {**SERVICE_WORDS, **YES_NO}):  # "which one is quicker?" chooses nothing
            return self.reask(dispatcher, tracker, "service", services_explained(allowed))
        chosen = INTENT_SERVICE.get(intent_of(tracker)) or choose(value, SERVICE_WORDS)
        if chosen is None and yes_or_no(tracker, value):  # "yes" to "shall we go ahead?" or "you mentioned ..."
            mentioned = service_mentioned(tracker)
            chosen = allowed[0] if len(allowed) == 1 else mentioned if mentioned in allowed else None
        if chosen is None:
            return self.reask(dispatcher, tracker, "service", "Sorry, which service is this referral for?")
        if chosen not in allowed:
            names = service().services
            return self.reask(dispatcher, tracker, "service",
                              f"{names[chosen].name} referrals have to come from a health care professional, such "
                              f"as the person's GP. I can take a {names[allowed[0]].name} referral instead.")
        return {"service": chosen}

    def ask_service(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        allowed = allowed_services(tracker)
        services = [service().services[key] for key in allowed]
        mentioned = service_mentioned(tracker)
        if len(services) > 1 and mentioned in allowed:
            named = service().services[mentioned]
            dispatcher.utter_message(text=f"You mentioned {named.name} ({named.summary}). Is the referral for "
                                          f"{named.name}?")
        elif len(services) == 1:
            dispatcher.utter_message(text=f"I can take a referral to {services[0].name}: {services[0].summary}. "
                                          f"Shall we go ahead?")
        else:
            options = " or ".join(f"{s.name} ({s.summary})" for s in services)
            dispatcher.utter_message(text=f"Which service is the referral for: {options}?")
