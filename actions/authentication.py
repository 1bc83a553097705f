"""Professional referrers prove who they are: role, registration number, PIN (checked by the API)."""
from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from referral_rules import validation
from referral_rules.clock import now

from .form_base import ReferralFormValidation, channel_of, service
from .parsing import code_candidates
from .questions import role_examples

# How a body's number is asked for where people know it by its initials; otherwise by the body's name in the file
# ("your Social Work England registration number").
BODY_NUMBERS = {"GMC": "GMC number", "NMC": "NMC registration number (your NMC PIN, like 12A3456E)",
                "HCPC": "HCPC registration number", "GPhC": "GPhC registration number"}
# Read aloud, "NMC PIN" would be taken for the referrer PIN asked next.
VOICE_BODY_NUMBERS = {"NMC": "NMC registration number, the one like 12A3456E"}
# Bodies whose numbers look like no other body's: a number given alone is theirs.
UNMISTAKABLE = ("NMC", "SWE")


def body_number(code: str, on_phone: bool = False) -> str:
    worded = {**BODY_NUMBERS, **VOICE_BODY_NUMBERS} if on_phone else BODY_NUMBERS
    body = service().registration_bodies.get(code)
    return worded.get(code) or f"{body.name if body else code} registration number"


def with_article(name: str) -> str:
    return ("an " if name[:1].lower() in "aeiou" else "a ") + name


def registration_bodies(tracker: Tracker) -> tuple[str, ...]:
    profession = service().professions.get(tracker.get_slot("profession") or "")
    return profession.registration_bodies if profession else ()


def registration_in(text: str) -> str | None:
    """A registration number given with its body's name ("NMC 12A3456E"), or in a format only one body uses."""
    bodies = list(service().registration_bodies)
    named = [body for body in bodies if re.search(rf"\b{body}\b", text, re.I)]
    for body in named or [body for body in UNMISTAKABLE if body in bodies]:
        for candidate in [text, *code_candidates(text)]:
            try:
                return f"{body} {validation.registration_number(body, candidate)}"
            except validation.Invalid:
                continue
    return None


def professional_details_in(text: str) -> dict[str, str]:
    """What a professional's first words already say: after "I'm a GP, GMC 7123456" neither is asked again.
    A number is kept only if it is in the format of the role's own registration body."""
    definition = service()
    profession = definition.profession_in(text)
    registration = registration_in(text)
    body = registration.split(" ")[0] if registration else None
    if profession is None and body:
        roles = definition.registered_only_with(body)
        profession = roles[0] if len(roles) == 1 else None
    if profession is None:
        return {}
    found = {"profession": profession.key}
    if body in profession.registration_bodies:
        found["registration_number"] = registration
    return found


class ValidateProfessionalForm(ReferralFormValidation):
    def name(self) -> str:
        return "validate_professional_form"

    def validate_profession(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        definition = service()
        if value in definition.professions:
            return {"profession": value}
        profession = definition.profession_in(value or "")
        if profession is not None:
            return {"profession": profession.key}
        registration = registration_in(value or "")
        if registration is None:
            return self.reask(dispatcher, tracker, "profession", f"Sorry, I didn't recognise that role. Are you "
                                                                  f"{with_article(role_examples(definition))}?")
        # They gave their registration number first: keep it, and ask the role only if the body leaves it open.
        roles = definition.registered_only_with(registration.split(" ")[0])
        if len(roles) == 1:
            return {"profession": roles[0].key, "registration_number": registration}
        names = with_article(" or ".join(role.name for role in roles))
        asked = self.reask(dispatcher, tracker, "profession", f"Thank you, I have your {registration}. And are you "
                                                              f"{names}?")
        return {**asked, "registration_number": registration}

    def validate_registration_number(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        bodies = registration_bodies(tracker)
        problems = []
        for body in bodies:
            for candidate in [value or "", *code_candidates(value)]:
                try:
                    return {"registration_number": f"{body} {validation.registration_number(body, candidate)}"}
                except validation.Invalid as exc:
                    problems.append(exc.message)
        problems = list(dict.fromkeys(problems))
        listed = ", ".join(bodies[:-1]) + " or " + bodies[-1] if len(bodies) > 1 else "".join(bodies)
        return self.reask(dispatcher, tracker, "registration_number", problems[0] if len(problems) == 1 else
                          f"That doesn't look like {with_article(listed)} registration number. Please check it.")

    def validate_pin(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        """The channel checked the PIN with the intake API before Rasa saw the message (bot/pin_check.py):
        here is only its outcome, in the message's metadata. Nothing else counts as a PIN check."""
        checked = ((tracker.latest_message or {}).get("metadata") or {}).get("pin_check") or {}
        outcome = checked.get("outcome")
        if outcome == "verified":
            referrer = checked["referrer"]
            dispatcher.utter_message(text=f"Thank you, {referrer['name']}, {referrer['organisation']}.")
            return {"pin": "verified", "auth_outcome": "verified", "referrer": referrer,
                    "verification": checked["verification"]}
        if outcome == "locked":
            return {"pin": "locked", "auth_outcome": "locked"}
        if outcome == "not_verified":
            dispatcher.utter_message(text="We couldn't verify those details. Let's check your registration "
                                          "number and PIN again.")
            return {"registration_number": None, "pin": None}
        if outcome == "unavailable":
            return self.reask(dispatcher, tracker, "pin", "I can't check your details just now. Please give your "
                                                          "PIN again in a moment.")
        return self.reask(dispatcher, tracker, "pin", "Your PIN is 6 digits. Please type all 6.")

    def ask_registration_number(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        bodies = registration_bodies(tracker)
        on_phone = channel_of(tracker) == "voice"
        if len(bodies) == 1:
            text = f"What is your {body_number(bodies[0], on_phone)}?"
        else:
            text = "What is your professional registration number, with the " + " or ".join(bodies) + "?"
        if on_phone:
            text += " You can say it, or type the digits on your keypad and press hash."
        dispatcher.utter_message(text=text)


class ActionLockedOut(Action):
    def name(self) -> str:
        return "action_locked_out"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        d = service()
        if channel_of(tracker) == "voice" and d.is_open(now()):
            # Already on the staffed line's number: put the caller through rather than ask them to redial.
            dispatcher.utter_message(
                text=f"Sorry, those details couldn't be verified and the registration is now locked for "
                     f"{d.lockout_minutes} minutes. I'll put you through to the team, who can take the referral "
                     f"with you.")
            dispatcher.utter_message(json_message={"voice": "transfer"})
            return []
        dispatcher.utter_message(
            text=f"Sorry, those details couldn't be verified and the registration is now locked for "
                 f"{d.lockout_minutes} minutes. Please call the {d.referral_line} on {d.referral_line_phone} "
                 f"and choose option {d.referral_line_option}: the team will take the referral with you.")
        return []
