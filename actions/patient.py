"""The patient: who they are, where they live (which borough), how to reach them, and consent.

A postcode outside the area is not the end at once: the caller hears which local authority it is in and is
asked whether it is right. A corrected postcode carries on with everything already given; a confirmed one
ends the referral with where to turn instead."""
from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from referral_rules import validation
from referral_rules.contract import UNKNOWN

from . import intake_client
from .form_base import NOT_APPLICABLE, ReferralFormValidation, channel_of, service, today
from .decision import YES_NO, question_instead, says_dont_know, yes_or_no
from .parsing import address_and_postcode, consents, digits_in, lives_alone, parse_date, person_name, phone_in, plain, postcode_in
from .public_callers import refusal_text
from .questions import FIRST, in_person, person_of, question
from .service_choice import own_words

_BEST_INTERESTS = re.compile(r"\bbest[- ]interests?\b", re.I)
_NOT_BEST_INTERESTS = re.compile(r"\b(no|not|isn'?t|without)\b.{0,30}\bbest[- ]interests?\b", re.I)
_LACKS_CAPACITY = re.compile(r"\b(lacks?|lacking|no|without|hasn'?t got|doesn'?t have|not got)\b.{0,20}\bcapacity\b"
                             r"|\b(can'?t|cannot|unable to|not able to|couldn'?t)\b.{0,15}\b(consent|agree|decide)",
                             re.I)
_CONSENT_AGAIN = "Sorry, has the patient agreed to be referred? Yes or no?"


class ValidatePatientForm(ReferralFormValidation):
    optional_slots = ("patient_nhs_number",)

    def name(self) -> str:
        return "validate_patient_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> list[str]:
        outcome = tracker.get_slot("patient_outcome")
        if outcome == "no_consent" or (outcome == "out_of_area" and tracker.get_slot("postcode_confirmed") == "yes"):
            return []
        skipped = set() if outcome == "out_of_area" else {"postcode_confirmed"}  # asked only outside the area
        if tracker.get_slot("consent") != "no":
            skipped.add("best_interests")
        return [slot for slot in domain_slots if slot not in skipped]

    def validate_patient_name(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        name = person_name(value, own_words())
        if name is None:
            return self.reask(dispatcher, tracker, "patient_name",
                              in_person("Please give {patients} first name and surname.", person_of(tracker)))
        given, family = name
        try:
            validation.within_limit("given_name", given)
            validation.within_limit("family_name", family)
        except validation.Invalid as exc:
            return self.reask(dispatcher, tracker, "patient_name", exc.message)
        return {"patient_name": f"{given} {family}"}

    def validate_patient_date_of_birth(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        born = parse_date(value, today())
        if born is None:
            return self.reask(dispatcher, tracker, "patient_date_of_birth",
                              "I couldn't read that as a date. Please give the day, month and year, like 7 March 1941.")
        try:
            return {"patient_date_of_birth": validation.date_of_birth(born, today()).isoformat()}
        except validation.Invalid as exc:
            return self.reask(dispatcher, tracker, "patient_date_of_birth", exc.message)

    def validate_patient_nhs_number(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        if says_dont_know(tracker, value):
            return {"patient_nhs_number": UNKNOWN}
        try:  # (the slot keeps its name: it holds the file's patient identifier, an NHS or CHI number)
            scheme = service().patient_identifier.scheme
            return {"patient_nhs_number": validation.patient_identifier(digits_in(value) or value, scheme)}
        except validation.Invalid as exc:
            return self.reask(dispatcher, tracker, "patient_nhs_number", exc.message)

    async def validate_patient_address(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        address = plain(value).strip().strip(",").strip()
        if len(address) < 4:
            return self.reask(dispatcher, tracker, "patient_address",
                              "Please give the first line of the address, like 12 High Street.")
        try:
            validation.within_limit("address_line", address)  # (the first line alone is shorter still)
        except validation.Invalid as exc:
            return self.reask(dispatcher, tracker, "patient_address", exc.message)
        first_line, postcode = address_and_postcode(address)
        if postcode and len(first_line) >= 4:
            # The whole address with its postcode: the postcode is checked as if it had been asked for,
            # and asked for in its turn if it can't be checked now.
            checked = await self.validate_patient_postcode(postcode, CollectingDispatcher(), tracker, domain)
            if checked.get("patient_postcode"):
                return {"patient_address": first_line, **checked}
        return {"patient_address": address}

    async def validate_patient_postcode(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        try:
            postcode = validation.postcode(postcode_in(value))
            reply = await intake_client.routing(postcode)
        except validation.Invalid as exc:
            return self.reask(dispatcher, tracker, "patient_postcode", exc.message)
        except intake_client.IntakeUnavailable:
            return self.reask(dispatcher, tracker, "patient_postcode",
                              "I can't check postcodes just now. Please give it again in a moment.")
        if not reply.ok:
            return self.reask(dispatcher, tracker, "patient_postcode", reply.body.get("message", "Please check it."))
        checked = {"patient_postcode": reply.body["postcode"], "routing": reply.body}
        if not reply.body["in_area"]:  # then: is that the right postcode? (postcode_confirmed)
            return {**checked, "patient_outcome": "out_of_area", "postcode_confirmed": None}
        if tracker.get_slot("patient_outcome") == "out_of_area":  # corrected: on with everything given so far
            return {**checked, "patient_outcome": _outcome_so_far(tracker), "postcode_confirmed": None}
        return checked

    async def validate_postcode_confirmed(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        """Yes: the referral ends (action_out_of_area). No: the right postcode, given now or asked for."""
        given = tracker.get_slot("patient_postcode")
        _, said = address_and_postcode(value or "")
        if said and said.replace(" ", "").upper() != (given or "").replace(" ", "").upper():
            corrected = await self.validate_patient_postcode(said, dispatcher, tracker, domain)
            return {"postcode_confirmed": "no", **corrected}
        answer = True if said else None if question_instead(value, YES_NO) else yes_or_no(tracker, value)
        if answer is None:
            return self.reask(dispatcher, tracker, "postcode_confirmed",
                              f"Sorry, is {given} the right postcode? If not, what is the right one?")
        if answer:
            return {"postcode_confirmed": "yes"}
        return {"postcode_confirmed": "no", "patient_postcode": None, "routing": None,
                "patient_outcome": _outcome_so_far(tracker)}

    def ask_postcode_confirmed(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        dispatcher.utter_message(text=f"{outside_the_area(tracker.get_slot('routing') or {})} "
                                      f"Is that the right postcode?")

    def ask_patient_postcode(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        if tracker.get_slot("postcode_confirmed") == "no":
            dispatcher.utter_message(text="What is the right postcode?")
        else:
            dispatcher.utter_message(text=question("patient_postcode", channel_of(tracker), service()))

    def validate_patient_phone(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        try:
            return {"patient_phone": validation.uk_phone(phone_in(value))}
        except validation.Invalid as exc:
            return self.reask(dispatcher, tracker, "patient_phone", exc.message)

    def validate_lives_alone(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        answer = None
        if not question_instead(value, YES_NO):  # "does that matter?" is no answer
            answer = lives_alone(value or "")
            if answer is None:
                answer = yes_or_no(tracker, value)
        if answer is None:
            return self.reask(dispatcher, tracker, "lives_alone",
                              in_person("Sorry, {does} {patient} live alone? Yes or no?", person_of(tracker)))
        return {"lives_alone": answer}

    def validate_consent(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        if person_of(tracker) == FIRST:  # referring themself: consent given by doing so (set, never asked)
            return {"consent": "given", "best_interests": NOT_APPLICABLE, "patient_outcome": "complete"}
        if question_instead(value, YES_NO):  # "does she have to agree?" is no answer
            return self.reask(dispatcher, tracker, "consent", _CONSENT_AGAIN)
        if _BEST_INTERESTS.search(value or "") and not _NOT_BEST_INTERESTS.search(value or ""):
            # "yes, it's a best-interests decision" is not the patient's own consent.
            return {"consent": "best_interests", "best_interests": True, "patient_outcome": "complete"}
        if _LACKS_CAPACITY.search(value or ""):
            return {"consent": "no", "best_interests": None}  # then: is it a best-interests decision?
        answer = consents(value or "")
        if answer is None:
            answer = yes_or_no(tracker, value)
        if answer is None:
            return self.reask(dispatcher, tracker, "consent", _CONSENT_AGAIN)
        if answer:
            return {"consent": "given", "best_interests": NOT_APPLICABLE, "patient_outcome": "complete"}
        return {"consent": "no", "best_interests": None}

    def validate_best_interests(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        answer = None if question_instead(value, YES_NO) else yes_or_no(tracker, value)
        if answer is None:
            return self.reask(dispatcher, tracker, "best_interests",
                              "Sorry, is this referral a best-interests decision? Yes or no?")
        if answer:
            return {"best_interests": True, "consent": "best_interests", "patient_outcome": "complete"}
        return {"best_interests": False, "patient_outcome": "no_consent"}


def _outcome_so_far(tracker: Tracker) -> str | None:
    """The patient form's outcome before an out-of-area postcode: complete once consent is settled."""
    return "complete" if tracker.get_slot("consent") in ("given", "best_interests") else None


def outside_the_area(routing: dict) -> str:
    """"NW1 2AA is in Camden, which is outside the area we cover (...)": the local authority's name where the
    intake API's ONS data has it."""
    name = (routing.get("borough") or {}).get("name")
    where = f" is in {name}, which" if name else ""
    return f"{routing.get('postcode')}{where} is outside the area we cover ({service().area_name})."


class ActionOutOfArea(Action):
    """The caller has said the postcode outside the area is right: where to turn instead."""

    def name(self) -> str:
        return "action_out_of_area"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        d = service()
        postcode = tracker.get_slot("patient_postcode")
        routing = tracker.get_slot("routing") or {}
        name, council = ((routing.get(key) or {}).get("name") for key in ("borough", "council"))
        covers = f"the {d.name} only covers {d.area_name}"
        why = f"{postcode} is in {name}, and {covers}" if name else covers
        turn_to = (f"please contact {council}'s adult social care team" if council else
                   "please contact the adult social care team of the council for {patients} area")
        dispatcher.utter_message(text=in_person(
            f"Then I'm sorry, I can't take this referral: {why}. For care and support at home, {turn_to}; "
            f"for health needs, {{patients}} GP can help.", person_of(tracker)))
        await intake_client.record_declined("out_of_area", channel_of(tracker), tracker.sender_id,
                                            tracker.get_slot("service"), postcode)
        return [ActiveLoop(None), AllSlotsReset()]


class ActionNoConsent(Action):
    def name(self) -> str:
        return "action_no_consent"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        dispatcher.utter_message(
            text="I can't take a referral without the patient's consent or a best-interests decision. "
                 "Once the patient has agreed, please contact us again. " + refusal_text(public=False))
        await intake_client.record_declined("no_consent", channel_of(tracker), tracker.sender_id,
                                            tracker.get_slot("service"), tracker.get_slot("patient_postcode"))
        return [ActiveLoop(None), AllSlotsReset()]
