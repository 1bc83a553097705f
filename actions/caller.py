"""Who is calling: a health or social care professional, or a member of the public."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from .authentication import professional_details_in
from .decision import CONFIDENCE, caller_type_in
from .form_base import ReferralFormValidation

# The caller_form's ignored_intents (domain.yml): "speak to a person", "stop", "start again".
STEP_ASIDE = ("human_handoff", "stop", "start_again")
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
