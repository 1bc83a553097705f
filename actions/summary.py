"""The read-back: the caller confirms, or corrects any one field without starting again."""
from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from referral_rules import contract

from .clinical import ValidateClinicalForm
from .form_base import NOT_APPLICABLE, ReferralFormValidation, service
from .decision import YES_NO, intent_of, negated, question_instead, yes_in_other_words, yes_or_no
from .patient import ValidatePatientForm, outside_the_area
from .questions import quick_replies

# The fields a caller may correct at the read-back: slot -> (words a caller uses for it, the form validation that
# checks it). How the line names each to the caller is the referral contract's (``asked_as``).
FIELDS = {
    "patient_name": (("name", "surname", "first name"), ValidatePatientForm),
    "patient_date_of_birth": (("date of birth", "dob", "birthday", "born"), ValidatePatientForm),
    "patient_nhs_number": ((), ValidatePatientForm),  # the service's identifier's words: _identifier_words()
    "patient_address": (("address", "street", "house number"), ValidatePatientForm),
    "patient_postcode": (("postcode", "post code"), ValidatePatientForm),
    "patient_phone": (("phone", "number to call", "telephone", "mobile", "contact number"), ValidatePatientForm),
    "lives_alone": (("lives alone", "live alone", "living alone"), ValidatePatientForm),
    "expected_discharge_date": (("discharge",), ValidateClinicalForm),
    "reason": (("reason",), ValidateClinicalForm),
    "difficulties": (("difficulties", "difficulty", "struggling", "problems"), ValidateClinicalForm),
    "goals": (("goals", "goal"), ValidateClinicalForm),
    "risks": (("risks", "risk"), ValidateClinicalForm),
    "mental_health_crisis": (("mental health", "crisis"), ValidateClinicalForm),
    "urgency": (("urgency", "urgent", "priority"), ValidateClinicalForm),
}


def _identifier_words() -> tuple[str, ...]:
    """"nhs number", "nhs no", "nhs" -- or "chi number", "chi no", "chi": the service's patient identifier."""
    name = contract.identifier_name(service()).lower()
    short = name.split()[0]
    return (name, f"{short} no", short)


def words_for(slot: str) -> tuple[str, ...]:
    return _identifier_words() if slot == "patient_nhs_number" else FIELDS[slot][0]


def asked_as(slot: str) -> str:
    """How the line names a field to the caller: "the date of birth", "the NHS number"."""
    return contract.said(slot, service()) or slot.replace("_", " ")


# What comes between the field's name and its new value: "phone number is", "postcode's", "DOB should be".
_VALUE_AFTER = re.compile(r"^(?:number|no|line|code)?\s*(?:is|'s|should be|should read|needs to be|to|it'?s|=|:)\s*"
                          r"(?:now\s+)?(.+)$", re.I)


def value_after(text: str, slot: str) -> str | None:
    """The new value in "actually the postcode is W2 4RJ"; None for "change the postcode"."""
    lowered = text.lower()
    for word in sorted(words_for(slot), key=len, reverse=True):
        at = lowered.find(word)
        if at >= 0:
            match = _VALUE_AFTER.match(text[at + len(word):].strip(" ,."))
            return match.group(1).strip() if match else None
    return None


def field_named(text: str) -> str | None:
    lowered = " " + re.sub(r"[^a-z0-9 ]+", " ", (text or "").lower()) + " "
    matches = [(len(w), slot) for slot in FIELDS for w in words_for(slot) if f" {w} " in lowered]
    return max(matches)[1] if matches else None


async def apply_correction(slot: str, value: str, dispatcher, tracker, domain) -> dict[str, Any] | None:
    """Check a new value with the same rule as the original question. None if it was refused."""
    result = await FIELDS[slot][1]().checked(slot, value, dispatcher, tracker, domain)
    if result.get(slot) is None or result.get("patient_outcome") in ("out_of_area", "no_consent"):
        if result.get("patient_outcome") == "out_of_area":
            dispatcher.utter_message(text=f"{outside_the_area(result.get('routing') or {})} "
                                          "So I've kept the one you gave before.")
        return None
    return {k: v for k, v in result.items() if k not in ("failures", "patient_outcome")}


def start_correction(slot: str) -> dict[str, Any]:
    """Ask for the new value of one field, then read the referral back again."""
    return {"correction": slot, "confirmed": "correcting", "correction_value": None}


class ValidateConfirmForm(ReferralFormValidation):
    def name(self) -> str:
        return "validate_confirm_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> list[str]:
        if tracker.get_slot("correction"):
            return domain_slots
        return [slot for slot in domain_slots if slot != "correction_value"]

    async def validate_confirmed(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        slot = field_named(value)
        asking = question_instead(value, YES_NO)  # "what happens when I send it?" sends nothing
        # (a yes here sends the referral: "it doesn't look right" is none)
        said_yes = yes_or_no(tracker, value) is True or (yes_in_other_words("confirmed", value) and not negated(value))
        if not asking and (intent_of(tracker) == "affirm" or (intent_of(tracker) != "deny" and said_yes and not slot)):
            return {"confirmed": True}
        if asking and slot is None:  # ("can you change the postcode?" is a correction all the same)
            return self.reask(dispatcher, tracker, "confirmed", "Sorry, I can't answer questions here yet. Say yes "
                                                                "to send the referral, or tell me what to change. "
                                                                "Is it all correct?")
        if slot is None:
            dispatcher.utter_message(text="What would you like to change? For example \"change the postcode\".")
            return {"confirmed": None}
        new_value = value_after(value, slot)
        if new_value:
            changed = await apply_correction(slot, new_value, dispatcher, tracker, domain)
            if changed:
                return {**changed, "confirmed": None}
        return start_correction(slot)

    async def validate_correction_value(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        slot = tracker.get_slot("correction")
        changed = await apply_correction(slot, value, dispatcher, tracker, domain)
        if changed is None:
            return {"correction_value": None}
        return {**changed, "correction": None, "correction_value": NOT_APPLICABLE, "confirmed": None}

    def ask_correction_value(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        slot = tracker.get_slot("correction")
        dispatcher.utter_message(text=f"What should {asked_as(slot)} be?" if slot in FIELDS else "What is the new value?")

    def ask_confirmed(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        dispatcher.utter_message(text="Here is the referral:\n" + "\n".join(summary_lines(tracker)))
        dispatcher.utter_message(text="Is that all correct? Say yes to send it, or tell me what to change, "
                                      "for example \"change the postcode\".", buttons=quick_replies("confirmed"))


def _yes_no(value) -> str:
    return "yes" if value else "no"


def summary_lines(tracker: Tracker) -> list[str]:
    """The referral read back to the caller, in the words of the referral contract."""
    d = service()
    slot = tracker.get_slot
    routing = slot("routing") or {}
    borough = (routing.get("borough") or {}).get("name")
    referrer = slot("referrer") or {}
    relationship = contract.choice_label("referrer.relationship", slot("caller_relationship"))
    who = (f"{referrer.get('name')}, {referrer.get('profession_name')}, {referrer.get('organisation')}"
           if slot("caller_type") == "professional" else f"{slot('caller_name')} ({relationship})")
    identifier = contract.known(slot("patient_nhs_number"))
    setting = slot("setting")
    lines = [
        f"Referral to {d.services[slot('service')].name}, from {who}.",
        f"Patient: {slot('patient_name')}, born {slot('patient_date_of_birth')}, {contract.identifier_name(d)} "
        f"{identifier or 'not known'}.",
        f"Address: {slot('patient_address')}, {slot('patient_postcode')}" + (f" ({borough})." if borough else "."),
        f"Phone: {slot('patient_phone')}. Lives alone: {_yes_no(slot('lives_alone'))}. "
        f"Consent: {contract.choice_label('consent', slot('consent'))}.",
        "Where they are now: " + contract.choice_label("setting", setting)
        + (f", expected discharge {slot('expected_discharge_date')}." if setting == "hospital" else "."),
        f"Reason: {slot('reason')}.",
        f"Difficulties: {', '.join(slot('difficulties') or [])}. Goals: {', '.join(slot('goals') or [])}.",
        f"Risks: {', '.join(slot('risks') or []) or 'none given'}. Mental health crisis: "
        f"{_yes_no(slot('mental_health_crisis'))}. Urgency: {contract.choice_label('urgency', slot('urgency'))}.",
    ]
    return lines
