"""The questions the forms ask, in the order of each form's required_slots (domain.yml).

The form's own validation action asks them (ReferralFormValidation.ask); questions that depend on the
conversation so far are ask_<slot> methods of their form. The telephone has its own wording where numbers
are asked. The service's own words ({service}, {identifier}, {roles}) come from its file.

Questions about the person referred are asked in the third person ("the patient's address") or, to someone
referring themself, in the first ("your address"): the same wording, with the person's words ({patients},
{Does} {patient}, ...) from PERSON_WORDS. Professionals always hear the third.
"""
from __future__ import annotations

from rasa_sdk import Tracker

from referral_rules.service_definition import ServiceDefinition, load_cached

THIRD, FIRST = "third", "first"
PERSON_WORDS = {
    THIRD: {"patient": "the patient", "patients": "the patient's", "them": "this person", "they": "they",
            "their": "their", "Does": "Does", "does": "does", "Has": "Has", "is": "is"},
    FIRST: {"patient": "you", "patients": "your", "them": "you", "they": "you",
            "their": "your", "Does": "Do", "does": "do", "Has": "Have", "is": "are"},
}

QUESTIONS = {
    "caller_type": "Are you a health or social care professional making a referral, or are you contacting us about "
                   "yourself or a family member?",
    "profession": "What is your role? For example {roles}.",
    "pin": "Please give your 6-digit referrer PIN.",
    "supported_before": "Has the {service} supported {them} before?",
    "client_nhs_number": "What is {their} {identifier}? It's {digits} digits, on any letter from the NHS or "
                         "{their} GP.",
    "client_date_of_birth": "And when were {they} born?",
    "caller_name": "What is your name?",
    "caller_relationship": "Are you the person themselves, or a family member, carer or friend?",
    "caller_phone": "What is the best phone number to reach you on?",
    "patient_name": "What is {patients} full name?",
    "patient_date_of_birth": "What is {patients} date of birth?",
    "patient_nhs_number": "What is {patients} {identifier}? If you don't have it, say you don't know.",
    "patient_address": "What is the first line of {patients} address?",
    "patient_postcode": "And the full postcode?",
    "patient_phone": "What phone number can the team reach {patient} on?",
    "lives_alone": "{Does} {patient} live alone?",
    "consent": "{Has} {patient} agreed to this referral?",
    "best_interests": "Are you making this referral in the patient's best interests, because they lack capacity to consent?",
    "setting": "Where {is} {patient} now: at home, in hospital waiting to be discharged, or in a care home?",
    "expected_discharge_date": "When are {they} expected to be discharged?",
    "reason": "What is the reason for the referral?",
    "difficulties": "What {is} {patient} finding difficult at the moment? For example walking, washing, dressing, preparing food, medication or falls.",
    "goals": "What would {patient} like to be able to do again, in {their} own words? For example walk to the local shops, or get into the bath.",
    "risks": "Are there any risks we should know about, such as falls, living alone or safeguarding concerns? Say none if there aren't.",
    "mental_health_crisis": "Is a mental health crisis team involved, or {is} {patient} in a mental health crisis?",
    "urgency": "How urgent is this: today, within the next few days, or routine?",
}

# On the telephone: numbers can be typed on the keypad and finished with hash; the PIN only on the keypad.
VOICE_QUESTIONS = {
    "pin": "Please type your 6-digit referrer PIN on your keypad.",
    "client_nhs_number": "What is {their} {identifier}? It's {digits} digits. You can say it, or type it on your "
                         "keypad and press hash.",
    "client_date_of_birth": "And when were {they} born? You can say it, or type it as 8 digits, day, month and year, "
                            "and press hash.",
    "caller_phone": "What is the best phone number to reach you on? You can say it, or type it and press hash.",
    "patient_date_of_birth": "What is {patients} date of birth? You can say it, or type it as 8 digits, day, "
                             "month and year, and press hash.",
    "patient_nhs_number": "What is {patients} {identifier}? You can say it, or type the {digits} digits and press "
                          "hash. If you don't have it, say you don't know.",
    "patient_phone": "What phone number can the team reach {patient} on? You can say it, or type it and "
                     "press hash.",
}


# The web chat's quick replies for the closed questions (Rasa's buttons; the telephone hears only the question).
# Each payload is what a caller would type, and it is what the button shows, so a press and typed words go
# through the same understanding and the transcript shows what was sent.
_YES_NO = ("Yes", "No")
QUICK_REPLIES = {
    "caller_type": ("I'm a professional", "I'm a member of the public"),
    "supported_before": _YES_NO,
    "caller_relationship": ("Myself", "A family member", "A carer", "A friend"),
    "patient_nhs_number": ("I don't know it",),
    "postcode_confirmed": _YES_NO,
    "lives_alone": _YES_NO,
    "consent": _YES_NO,
    "best_interests": _YES_NO,
    "setting": ("At home", "In hospital", "In a care home"),
    "risks": ("None",),
    "mental_health_crisis": _YES_NO,
    "urgency": ("Today", "Within the next few days", "Routine"),
    "confirmed": ("Yes, send it",),
}


def buttons(*answers: str) -> list[dict[str, str]]:
    return [{"title": answer, "payload": answer} for answer in answers]


def quick_replies(slot: str) -> list[dict[str, str]]:
    return buttons(*QUICK_REPLIES.get(slot, ()))


def role_examples(definition: ServiceDefinition) -> str:
    """The file's professions as examples: "GP, hospital doctor, nurse ... or social worker" (not the catch-all
    "other registered ...", which is no example)."""
    named = [p.name for p in definition.professions.values() if not p.name.lower().startswith("other ")]
    return ", ".join(named[:-1]) + " or " + named[-1] if len(named) > 1 else "".join(named)


def person_of(tracker: Tracker) -> str:
    """FIRST when the caller is the person referred (a returning client referring themself), else THIRD."""
    return FIRST if tracker.get_slot("caller_relationship") == "self" else THIRD


def in_person(text: str, person: str = THIRD) -> str:
    """``text`` with the person's words: "{Does} {patient} live alone?" -> "Do you live alone?"."""
    return text.format_map(PERSON_WORDS[person])


def question(slot: str, channel: str, definition: ServiceDefinition | None = None, person: str = THIRD) -> str:
    definition = definition or load_cached()
    text = VOICE_QUESTIONS.get(slot, QUESTIONS[slot]) if channel == "voice" else QUESTIONS[slot]
    identifier = definition.patient_identifier
    return text.format(service=definition.name, identifier=identifier.name, digits=identifier.digits,
                       roles=role_examples(definition), **PERSON_WORDS[person])
