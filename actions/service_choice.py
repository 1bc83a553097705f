"""Which of the file's services the referral is for, within what this referrer may refer to.

The NLU says only that the caller is choosing (intent choose_service): which service they chose is in their
words, matched against the file's own names and words for each service, so one model serves any file.
"""
from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from referral_rules.service_definition import spoken

from .form_base import ReferralFormValidation, service
from .decision import YES_NO, intent_of, question_instead, yes_or_no
from .parsing import choose
from .questions import buttons

CHOOSING = "choose_service"
# How each kind of referrer is named when a service is refused ("have to come from a health care professional").
REFERRER_WORDS = {"health_professional": "a health care professional", "social_worker": "a social worker",
                  "returning_client": "someone it has supported before"}
# "rehab, not urgent": a word said with a "not" chooses nothing.
_NEGATED = re.compile(r"\b(not|non|no)[\s-]+[a-z0-9]+", re.I)


def service_words() -> dict[str, tuple[str, ...]]:
    """The words that choose each service: its name and the file's spoken_as."""
    return {key: (spoken(svc.name), *svc.spoken_as) for key, svc in service().services.items()}


def mention_words() -> dict[str, tuple[str, ...]]:
    """A service named before the question ("I'd like to refer her to <a service>"): only its own names count."""
    return {key: svc.mention for key, svc in service().services.items()}


def own_words() -> frozenset[str]:
    """The words of the services' own names: no part of a person's name, so "<service> team" is no patient's
    name. (Not every word that chooses a service: "Quick" or "Fast" can be a surname; nor "and" or "re".)"""
    return frozenset(word for svc in service().services.values() for name in (spoken(svc.name), *svc.mention)
                     for word in name.split() if len(word) > 3)


def referrer_kind(tracker: Tracker) -> str:
    if tracker.get_slot("caller_type") == "public":
        return "returning_client"
    return (tracker.get_slot("referrer") or {}).get("kind", "health_professional")


def allowed_services(tracker: Tracker) -> list[str]:
    return service().services_for(referrer_kind(tracker))


def chosen_in(text: str) -> str | None:
    return choose(_NEGATED.sub(" ", text or ""), service_words())


def service_mentioned(tracker: Tracker) -> str | None:
    """The one service the caller has named by name so far in the conversation, if they named just one."""
    words = mention_words()
    named = {choose(event.get("text") or "", words) for event in tracker.events if event.get("event") == "user"}
    named.discard(None)
    return named.pop() if len(named) == 1 else None


def names(keys: list[str]) -> str:
    return " or ".join(service().services[key].name for key in keys)


def services_explained(allowed: list[str]) -> str:
    """What each service is, and the question again: for a caller who asked rather than chose."""
    services = [service().services[key] for key in allowed]
    said = " ".join(f"{s.name} is {s.summary}." for s in services)
    if len(services) == 1:
        return f"{said} I can take a referral to {services[0].name}. Shall we go ahead?"
    return f"{said} Which one is the referral for?"


def who_may_refer(key: str) -> str:
    """"a health care professional, such as the person's GP": from the service's referrers in the file."""
    definition = service()
    kinds = [kind for kind in REFERRER_WORDS if kind in definition.services[key].referrers]
    who = " or ".join(REFERRER_WORDS[kind] for kind in kinds)
    if kinds == ["health_professional"]:
        example = next((p.name for p in definition.professions.values() if p.kind == "health_professional"), None)
        if example:
            who += f", such as the person's {example}"
    return who


def refusal(chosen: str, allowed: list[str]) -> str:
    text = f"{service().services[chosen].name} referrals have to come from {who_may_refer(chosen)}."
    if allowed:
        text += f" I can take a {names(allowed[:1])} referral instead."
    return text


class ValidateServiceForm(ReferralFormValidation):
    def name(self) -> str:
        return "validate_service_form"

    def validate_service(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        allowed = allowed_services(tracker)
        if question_instead(value, {**service_words(), **YES_NO}):  # "which one is quicker?" chooses nothing
            return self.reask(dispatcher, tracker, "service", services_explained(allowed))
        chosen = chosen_in(value)
        if chosen is None and yes_or_no(tracker, value):  # "yes" to "shall we go ahead?" or "you mentioned ..."
            mentioned = service_mentioned(tracker)
            chosen = allowed[0] if len(allowed) == 1 else mentioned if mentioned in allowed else None
        if chosen is None and intent_of(tracker) == CHOOSING and len(allowed) == 1:  # "that service please"
            chosen = allowed[0]
        if chosen is None:
            return self.reask(dispatcher, tracker, "service",
                              f"Sorry, which service is this referral for: {names(allowed)}?")
        if chosen not in allowed:
            return self.reask(dispatcher, tracker, "service", refusal(chosen, allowed))
        return {"service": chosen}

    def ask_service(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        allowed = allowed_services(tracker)
        services = [service().services[key] for key in allowed]
        mentioned = service_mentioned(tracker)
        if len(services) > 1 and mentioned in allowed:
            named = service().services[mentioned]
            dispatcher.utter_message(text=f"You mentioned {named.name} ({named.summary}). Is the referral for "
                                          f"{named.name}?", buttons=buttons("Yes", "No"))
        elif len(services) == 1:
            dispatcher.utter_message(text=f"I can take a referral to {services[0].name}: {services[0].summary}. "
                                          f"Shall we go ahead?", buttons=buttons("Yes", "No"))
        else:
            options = " or ".join(f"{s.name} ({s.summary})" for s in services)
            dispatcher.utter_message(text=f"Which service is the referral for: {options}?",
                                     buttons=buttons(*(s.name for s in services)))
