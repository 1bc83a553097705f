"""The clinical picture: where the patient is, why, what is hard, their goals, risks, urgency."""
from __future__ import annotations

from typing import Any

from referral_rules import validation

from .form_base import NOT_APPLICABLE, ReferralFormValidation, service, today
from .decision import YES_NO, question_instead, says_dont_know, yes_or_no
from .parsing import choose, items, parse_date, plain
SETTINGS = {"home": ("home", "house", "flat", "at home", "own home", "community", "sheltered", "back home",
                     "out of hospital", "home from hospital", "went home", "gone home", "sent home", "came home",
                     "got home", "discharged home", "home now"),
            "hospital": ("hospital", "ward", "inpatient", "in patient", "admitted", "discharge", "a and e", "a e",
                         "going home", "coming home", "due home"),
            "care_home": ("care home", "nursing home", "residential", "residential home")}
URGENCY = {"urgent": ("today", "urgent", "urgently", "asap", "as soon as possible", "now", "immediately",
                      "straight away", "right away", "same day", "very urgent", "hour", "hours", "this morning",
                      "this afternoon", "tonight"),
           "soon": ("soon", "few days", "couple of days", "this week", "next few days", "48 hours", "tomorrow",
                    "next day", "within days"),
           "routine": ("routine", "not urgent", "no rush", "whenever", "non urgent", "next week", "weeks")}


def settings() -> dict[str, tuple[str, ...]]:
    """Where the patient is, in callers' words: the area's own hospitals by name ("at St Mary's") from the file."""
    return {**SETTINGS, "hospital": SETTINGS["hospital"] + service().local_hospitals}


class ValidateClinicalForm(ReferralFormValidation):
    keeps_emergency_text = ("reason", "difficulties", "risks")

    def name(self) -> str:
        return "validate_clinical_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> list[str]:
        if tracker.get_slot("setting") == "hospital":
            return domain_slots
        return [slot for slot in domain_slots if slot != "expected_discharge_date"]

    def validate_setting(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        words = settings()
        setting = None if question_instead(value, words) else choose(value, words)
        if setting is None:
            return self.reask(dispatcher, tracker, "setting",
                              "Sorry, is the patient at home, in hospital, or in a care home?")
        return {"setting": setting, "expected_discharge_date": None if setting == "hospital" else NOT_APPLICABLE}

    def validate_expected_discharge_date(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        when = parse_date(value, today(), past=False)
        if when is None and says_dont_know(tracker, value):
            return self.reask(dispatcher, tracker, "expected_discharge_date",
                              "An estimate is fine. Roughly when is the patient expected to go home? For example "
                              "Friday, or 3 December.")
        if when is None:
            return self.reask(dispatcher, tracker, "expected_discharge_date",
                              "I couldn't read that as a date. You can say a date, like 27 November, or 'tomorrow'.")
        if when < today():
            return self.reask(dispatcher, tracker, "expected_discharge_date",
                              "That date has passed. When are they expected to go home?")
        return {"expected_discharge_date": when.isoformat()}

    def validate_reason(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        reason = plain(value).strip()
        if len(reason) < 3:
            return self.reask(dispatcher, tracker, "reason", "Please tell me briefly why you're referring the patient.")
        try:  # (a whole discharge letter pasted in is asked to be shortened now, not refused after the read-back)
            return {"reason": validation.within_limit("reason", reason)}
        except validation.Invalid as exc:
            return self.reask(dispatcher, tracker, "reason", exc.message)

    def validate_difficulties(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        return self.listed("difficulties", value, dispatcher, tracker,
                           "Please tell me at least one thing the patient is finding difficult.")

    def validate_goals(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        return self.listed("goals", value, dispatcher, tracker,
                           "What would the patient most like to be able to do again?")

    def validate_risks(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        return self.listed("risks", value, dispatcher, tracker)

    def listed(self, slot: str, value, dispatcher, tracker, if_empty: str | None = None) -> dict[str, Any]:
        """A list slot: always a list of items (never the words as one string), as many and as long as the
        case store holds; ``if_empty`` re-asks when at least one item is needed."""
        found = items(value)
        if not found and if_empty:
            return self.reask(dispatcher, tracker, slot, if_empty)
        try:
            return {slot: validation.within_list_limits(slot, found)}
        except validation.Invalid as exc:
            return self.reask(dispatcher, tracker, slot, exc.message)

    def validate_mental_health_crisis(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        answer = None if question_instead(value, YES_NO) else yes_or_no(tracker, value)
        if answer is None:
            return self.reask(dispatcher, tracker, "mental_health_crisis",
                              "Sorry, is the patient in a mental health crisis, or is a crisis team involved? Yes or no?")
        return {"mental_health_crisis": answer}

    def validate_urgency(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        urgency = None if question_instead(value, URGENCY) else choose(value, URGENCY)
        if urgency is None:
            return self.reask(dispatcher, tracker, "urgency", "Is it urgent (today), soon (the next few days), or routine?")
        return {"urgency": urgency}
