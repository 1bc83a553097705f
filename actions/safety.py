"""Possible emergencies: 999 advice comes before anything else, whatever the caller was asked."""
from __future__ import annotations

import re

from rasa_sdk import Tracker

from referral_rules.service_definition import ServiceDefinition

EMERGENCY_INTENT_CONFIDENCE = 0.6

# Said in the present: these need 999 now. Past events ("had a fall last week") are not matched.
_EMERGENCY_WORDS = re.compile(
    r"\b(not breathing|stopped breathing|can'?t breathe|cannot breathe|struggling to breathe|chest pains?|"
    r"collapsed|unconscious|unresponsive|having a stroke|face (has )?(dropped|drooping)|"
    r"bleeding (heavily|badly|a lot)|severe bleeding|won'?t stop bleeding|overdose|"
    r"suicidal|kill (him|her|my|them)sel(f|ves)|end (his|her|their|my) life|choking|fitting)\b",
    re.IGNORECASE,
)


def is_emergency(tracker: Tracker) -> bool:
    message = tracker.latest_message or {}
    intent = message.get("intent") or {}
    if intent.get("name") == "emergency" and (intent.get("confidence") or 0) >= EMERGENCY_INTENT_CONFIDENCE:
        return True
    return bool(_EMERGENCY_WORDS.search(message.get("text") or ""))


def emergency_advice(definition: ServiceDefinition) -> str:
    return (f"If someone is seriously ill or injured, or their life is at risk, call {definition.emergency_number} "
            f"now. For urgent advice that is not an emergency, call NHS {definition.urgent_advice_number}.")
