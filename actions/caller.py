"""Who is calling: a health or social care professional, or a member of the public."""
from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from .authentication import professional_details_in
from .decision import CONFIDENCE
from .form_base import ReferralFormValidation, service

# The caller_form's ignored_intents (domain.yml): "speak to a person", "stop", "start again".
STEP_ASIDE = ("human_handoff", "stop", "start_again")
_PUBLIC_WORDS = re.compile(r"\b(my (mum|mother|dad|father|nan|gran|grandma|grandad|grandfather|grandmother|husband|"
                           r"wife|partner|son|daughter|brother|sister|aunt|uncle|neighbour|friend|wife's|husband's)|"
                           r"myself|for me|about me|i'?m (his|her|their) (carer|son|daughter|wife|husband)|"
                           r"carer|family|relative|member of the public|i'?m the patient|about myself)\b", re.I)


def caller_type_in(tracker: Tracker) -> str | None:
    """The classifier's answer when it is sure; otherwise the words: family words before job titles,
    so "I'm not a nurse, it's my mum" is a member of the public."""
    message = tracker.latest_message or {}
    text = message.get("text") or ""
    intent = message.get("intent") or {}
    if (intent.get("confidence") or 0) >= CONFIDENCE["caller"]:
        if intent.get("name") == "i_am_professional":
            return "professional"
        if intent.get("name") == "i_am_public":
            return "public"
    if _PUBLIC_WORDS.search(text):
        return "public"
    if service().profession_in(text):
        return "professional"
    return None


class ValidateCallerForm(ReferralFormValidation):
    def name(self) -> str:
        return "validate_caller_form"

    async def extract_caller_type(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> dict[str, Any]:
        if tracker.get_slot("caller_type"):
            return {}
        intent = (tracker.latest_message or {}).get("intent") or {}
        if intent.get("name") in STEP_ASIDE and (intent.get("confidence") or 0) >= CONFIDENCE["caller"]:
            return {}  # not an answer: the form steps aside so the rule for it applies (as the other forms do)
        found = caller_type_in(tracker)
        if found or tracker.get_slot("requested_slot") == "caller_type":
            return {"caller_type": found}
        return {}  # the first message said neither: the form asks

    def validate_caller_type(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        if value not in ("professional", "public"):
            return self.reask(dispatcher, tracker, "caller_type", "Sorry, I need to know who is calling before we go on.")
        result: dict[str, Any] = {"caller_type": value}
        if value == "professional":  # "I'm a district nurse": no need to ask the role again
            result.update(professional_details_in((tracker.latest_message or {}).get("text") or ""))
        return result
