"""Members of the public: only for a returning client, and only for the services the file opens to them."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from referral_rules import validation
from referral_rules.contract import NOT_APPLICABLE, UNKNOWN

from . import intake_client
from .form_base import ReferralFormValidation, channel_of, service, today
from .decision import YES_NO, question_instead, says_dont_know, yes_in_other_words, yes_or_no
from .parsing import choose, digits_in, parse_date, person_name, phone_in
from .questions import FIRST, THIRD, in_person, person_of
from .service_choice import own_words

RELATIONSHIPS = {"self": ("me", "myself", "self", "i am", "the person", "patient", "it s me", "its me"),
                 "family": ("family", "son", "daughter", "wife", "husband", "partner", "mum", "dad", "mother",
                            "father", "brother", "sister", "niece", "nephew", "grandson", "granddaughter",
                            "relative"),
                 "carer": ("carer", "care worker", "caregiver"),
                 "friend": ("friend", "neighbour")}
# Said before the question ("I'd like to refer myself", "it's about my dad"): only words that leave no doubt
# ("can you help me" is no self-referral).
_SAID_FIRST = {**RELATIONSHIPS, "self": ("myself", "about me", "for me", "refer me", "it s me", "its me",
                                         "i m the patient", "i am the patient")}


class ValidatePublicForm(ReferralFormValidation):
    """Who the caller is to the person first, so that someone referring themself is asked about "you"; then
    the record check, and the caller's name and phone (the person's own, for a self-referral)."""

    def name(self) -> str:
        return "validate_public_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> list[str]:
        if tracker.get_slot("public_outcome") == "refused":
            return []
        return domain_slots

    async def run(self, dispatcher, tracker, domain):
        if not service().public.may_refer:  # this service takes no referrals from the public: kindly turned away
            return [SlotSet("public_outcome", "refused"), SlotSet("requested_slot", None)]
        return await super().run(dispatcher, tracker, domain)

    async def extract_caller_relationship(self, dispatcher, tracker, domain) -> dict[str, Any]:
        """Who they are to the person, when the words that made them a member of the public said it."""
        if tracker.get_slot("caller_relationship") or tracker.get_slot("requested_slot") in self.domain_slots(domain):
            return {}
        said = choose((tracker.latest_message or {}).get("text") or "", _SAID_FIRST)
        return {"caller_relationship": said} if said else {}

    def validate_supported_before(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        # Only a plain "no" turns the caller away here: the record look-up is the real check.
        if says_dont_know(tracker, value):
            dispatcher.utter_message(text=in_person("That's all right, I'll look for {their} record with us.",
                                                    person_of(tracker)))
            return {"supported_before": "not sure"}
        answer = None
        if not question_instead(value, YES_NO):  # "have you seen her before?" is no answer
            answer = yes_or_no(tracker, value)
            if answer is None and yes_in_other_words("supported_before", value):
                answer = True
        if answer is None:
            return self.reask(dispatcher, tracker, "supported_before", in_person(
                f"Sorry, I didn't catch that. Has the {service().short_name} supported {{them}} before? Yes or no?",
                person_of(tracker)))
        if answer is False:
            return {"supported_before": "no", "public_outcome": "refused"}
        return {"supported_before": "yes"}

    def validate_client_nhs_number(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        """The client's patient identifier (an NHS or CHI number, as the file says), whatever the slot's name."""
        identifier, person = service().patient_identifier, person_of(tracker)
        if says_dont_know(tracker, value):
            if (tracker.get_slot("failures") or {}).get("client_nhs_number"):
                dispatcher.utter_message(text=in_person(f"Without the {identifier.name} I can't find {{their}} record. "
                                                        f"If you find it later, you're welcome to contact us again.",
                                                        person))
                return {"client_nhs_number": UNKNOWN, "public_outcome": "refused"}
            app = ", and in the NHS App" if identifier.scheme == "nhs_number" else ""
            return self.reask(dispatcher, tracker, "client_nhs_number", in_person(
                f"I need {{their}} {identifier.name} to find {{their}} record. It's the {identifier.digits}-digit "
                f"number on any letter from the NHS or {{their}} GP{app}. Can you find it?", person))
        try:
            return {"client_nhs_number": validation.patient_identifier(digits_in(value) or value, identifier.scheme)}
        except validation.Invalid as exc:
            return self.reask(dispatcher, tracker, "client_nhs_number", exc.message)

    async def validate_client_date_of_birth(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        born = parse_date(value, today())
        try:
            born = validation.date_of_birth(born, today()) if born else None
        except validation.Invalid as exc:
            return self.reask(dispatcher, tracker, "client_date_of_birth", exc.message)
        if born is None:
            return self.reask(dispatcher, tracker, "client_date_of_birth",
                              "I couldn't read that as a date. Please give the day, month and year, like 7 March 1941.")
        try:
            reply = await intake_client.lookup_client(tracker.get_slot("client_nhs_number"), born.isoformat(),
                                                      tracker.sender_id)
        except intake_client.IntakeUnavailable:
            return self.reask(dispatcher, tracker, "client_date_of_birth",
                              "I can't check our records just now. Please give the date of birth again in a moment.")
        if not reply.body.get("returning_client"):
            return {"client_date_of_birth": born.isoformat(), "public_outcome": "refused"}
        dispatcher.utter_message(text=in_person("Thank you, I've found {their} record with us.", person_of(tracker)))
        return {"client_date_of_birth": born.isoformat(), "public_outcome": "returning_client",
                "verification": reply.body["verification"]["token"],
                "patient_nhs_number": tracker.get_slot("client_nhs_number"), "patient_date_of_birth": born.isoformat()}

    def validate_caller_name(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        name = person_name(value or "", own_words())
        if name is None:  # a full name, not "can you send the <service> team?"
            return self.reask(dispatcher, tracker, "caller_name", "Sorry, what is your full name?")
        try:
            caller_name = validation.within_limit("person_name", " ".join(name))
            if person_of(tracker) == THIRD:
                return {"caller_name": caller_name}
            validation.within_limit("given_name", name[0])
            validation.within_limit("family_name", name[1])
        except validation.Invalid as exc:
            return self.reask(dispatcher, tracker, "caller_name", exc.message)
        return {"caller_name": caller_name, "patient_name": caller_name}  # the person's own name: asked once

    def validate_caller_relationship(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        relationship = None if question_instead(value, RELATIONSHIPS) else choose(value, RELATIONSHIPS)
        if relationship is None:
            return self.reask(dispatcher, tracker, "caller_relationship",
                              "Are you the person themselves, a family member, a carer or a friend?")
        if relationship == "self":  # someone referring themself consents by doing so: not asked
            return {"caller_relationship": relationship, "consent": "given", "best_interests": NOT_APPLICABLE}
        return {"caller_relationship": relationship}

    def validate_caller_phone(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        try:
            phone = validation.uk_phone(phone_in(value))
        except validation.Invalid as exc:
            return self.reask(dispatcher, tracker, "caller_phone", exc.message)
        return {"caller_phone": phone, **({"patient_phone": phone} if person_of(tracker) == FIRST else {})}


class ActionRefusePublic(Action):
    """Tell the caller kindly why, and where to go instead; record the contact without identifiers."""

    def name(self) -> str:
        return "action_refuse_public"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        dispatcher.utter_message(text=refusal_text(public=True, person=person_of(tracker)))
        await intake_client.record_declined("public_not_returning_client", channel_of(tracker), tracker.sender_id)
        # Nothing the caller said about the person is kept.
        return [ActiveLoop(None), AllSlotsReset()]


def contacts_text(borough=None) -> str:
    """Adult social care for the borough (or each of the area's), with the numbers the file publishes."""
    boroughs = [borough] if borough else list(service().boroughs.values())
    return " ".join(f"{b.name}: {_contacts(b)}." for b in boroughs)


def _contacts(borough) -> str:
    listed = ", ".join(f"{c.name} {c.phone}" if c.phone else c.name for c in borough.adult_social_care)
    return listed or "the council's adult social care team"  # (where the file publishes none)


def refusal_text(public: bool, person: str = THIRD) -> str:
    d = service()
    returning = ", or for people it has supported before" if d.public.may_refer else ""
    why = (f"I'm sorry, the {d.name} can only take referrals from health and social care professionals"
           f"{returning}." if public else "")
    gp = "your GP, who can refer you" if person == FIRST else "the person's GP, who can refer them"
    return (f"{why} For health needs, please speak to {gp} to us. For help with "
            f"care and support, contact adult social care: {contacts_text()} "
            f"In an emergency call {d.emergency_number}; for urgent advice call NHS {d.urgent_advice_number}.").strip()
