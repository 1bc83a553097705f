"""The read-back: the caller confirms, or corrects any one field without starting again."""
from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from .clinical import ValidateClinicalForm
from .form_base import NOT_APPLICABLE, ReferralFormValidation, service
from .parsing import YES_NO, intent_of, negated, question_instead, yes_or_no
from .patient import ValidatePatientForm

# Words a caller uses for a field -> (slot, the form validation that checks it, how to ask for it).
FIELDS = {
    "patient_name": (("name", "surname", "first name"), ValidatePatientForm, "the patient's full name"),
    "patient_date_of_birth": (("date of birth", "dob", "birthday", "born"), ValidatePatientForm, "the date of birth"),
    "patient_nhs_number": (("nhs number", "nhs no", "nhs"), ValidatePatientForm, "the NHS number"),
    "patient_address": (("address", "street", "house number"), ValidatePatientForm, "the first line of the address"),
    "patient_postcode": (("postcode", "post code"), ValidatePatientForm, "the postcode"),
    "patient_phone": (("phone", "number to call", "telephone", "mobile", "contact number"), ValidatePatientForm,
                      "the patient's phone number"),
    "lives_alone": (("lives alone", "live alone", "living alone"), ValidatePatientForm, "whether they live alone"),
    "expected_discharge_date": (("discharge",), ValidateClinicalForm, "the expected discharge date"),
    "reason": (("reason",), ValidateClinicalForm, "the reason for referral"),
    "difficulties": (("difficulties", "difficulty", "struggling", "problems"), ValidateClinicalForm,
                     "what they are finding difficult"),
    "goals": (("goals", "goal"), ValidateClinicalForm, "their goals"),
    "risks": (("risks", "risk"), ValidateClinicalForm, "the risks"),
    "mental_health_crisis": (("mental health", "crisis"), ValidateClinicalForm, "mental health crisis involvement"),
    "urgency": (("urgency", "urgent", "priority"), ValidateClinicalForm, "how urgent it is"),
}
# "Looks good, send it", "all good thanks": a yes to "is that all correct?" in other words.
_SEND = re.compile(r"\b(send|submit|go ahead|looks? (good|right|fine|correct|ok)|all (good|correct|fine|right|ok)|"
                   r"spot on|perfect|lovely|great|brilliant|that'?s (fine|good|it|correct|right))\b", re.I)
# What comes between the field's name and its new value: "phone number is", "postcode's", "DOB should be".
_VALUE_AFTER = re.compile(r"^(?:number|no|line|code)?\s*(?:is|'s|should be|should read|needs to be|to|it'?s|=|:)\s*"
                          r"(?:now\s+)?(.+)$", re.I)


def value_after(text: str, slot: str) -> str | None:
    """The new value in "actually the postcode is W2 4RJ"; None for "change the postcode"."""
    lowered = text.lower()
    for word in sorted(FIELDS[slot][0], key=len, reverse=True):
        at = lowered.find(word)
        if at >= 0:
            match = _VALUE_AFTER.match(text[at + len(word):].strip(" ,."))
            return match.group(1).strip() if match else None
    return None


def field_named(text: str) -> str | None:
    lowered = " " + re.sub(r"[^a-z0-9 ]+", " ", (text or "").lower()) + " "
    matches = [(len(w), slot) for slot, (words, _, _) in FIELDS.items() for w in words if f" {w} " in lowered]
    return max(matches)[1] if matches else None


async def apply_correction(slot: str, value: str, dispatcher, tracker, domain) -> dict[str, Any] | None:
    """Check a new value with the same rule as the original question. None if it was refused."""
    result = await FIELDS[slot][1]().checked(slot, value, dispatcher, tracker, domain)
    if result.get(slot) is None or result.get("patient_outcome") in ("out_of_area", "no_consent"):
        if result.get("patient_outcome") == "out_of_area":
            dispatcher.utter_message(text="That postcode is outside our area, so I've kept the one you gave before.")
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
        said_yes = yes_or_no(tracker, value) is True or (bool(_SEND.search(value or "")) and not negated(value))
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
        dispatcher.utter_message(text=f"What should {FIELDS[slot][2]} be?" if slot in FIELDS else "What is the new value?")

    def ask_confirmed(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        dispatcher.utter_message(text="Here is the referral:\n" + "\n".join(summary_lines(tracker)))
        dispatcher.utter_message(text="Is that all correct? Say yes to send it, or tell me what to change, "
                                      "for example \"change the postcode\".")


def summary_lines(tracker: Tracker) -> list[str]:
    d = service()
    slot = tracker.get_slot
    routing = slot("routing") or {}
    borough = (routing.get("borough") or {}).get("name")
    referrer = slot("referrer") or {}
    who = (f"{referrer.get('name')}, {referrer.get('profession_name')}, {referrer.get('organisation')}"
           if slot("caller_type") == "professional" else f"{slot('caller_name')} ({slot('caller_relationship')})")
    nhs = slot("patient_nhs_number")
    lines = [
        f"Referral to {d.services[slot('service')].name}, from {who}.",
        f"Patient: {slot('patient_name')}, born {slot('patient_date_of_birth')}, NHS number "
        f"{'not known' if nhs in (None, 'unknown') else nhs}.",
        f"Address: {slot('patient_address')}, {slot('patient_postcode')}" + (f" ({borough})." if borough else "."),
        f"Phone: {slot('patient_phone')}. Lives alone: {'yes' if slot('lives_alone') else 'no'}. "
        f"Consent: {'best-interests decision' if slot('consent') == 'best_interests' else 'given'}.",
        "Where they are now: " + {"home": "at home", "hospital": "in hospital", "care_home": "in a care home"}.get(
            slot("setting"), str(slot("setting")))
        + (f", expected discharge {slot('expected_discharge_date')}." if slot("setting") == "hospital" else "."),
        f"Reason: {slot('reason')}.",
        f"Difficulties: {', '.join(slot('difficulties') or [])}. Goals: {', '.join(slot('goals') or [])}.",
        f"Risks: {', '.join(slot('risks') or []) or 'none given'}. Mental health crisis: "
        f"{'yes' if slot('mental_health_crisis') else 'no'}. Urgency: {slot('urgency')}.",
    ]
    return lines
