"""The patient: who they are, where they live (which borough), how to reach them, and consent."""
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
from .parsing import (YES_NO, address_and_postcode, consents, digits_in, lives_alone, parse_date, person_name,
                      phone_in, plain, postcode_in, question_instead, says_dont_know, yes_or_no)
from .public_callers import refusal_text
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
        if tracker.get_slot("patient_outcome") in ("out_of_area", "no_consent"):
            return []
        if tracker.get_slot("consent") == "no":
            return domain_slots
        return [slot for slot in domain_slots if slot != "best_interests"]

    def validate_patient_name(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        name = person_name(value, own_words())
        if name is None:
            return self.reask(dispatcher, tracker, "patient_name", "Please give the patient's first name and surname.")
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
        outcome = {} if reply.body["in_area"] else {"patient_outcome": "out_of_area"}
        return {"patient_postcode": reply.body["postcode"], "routing": reply.body, **outcome}

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
            return self.reask(dispatcher, tracker, "lives_alone", "Sorry, does the patient live alone? Yes or no?")
        return {"lives_alone": answer}

    def validate_consent(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
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


class ActionOutOfArea(Action):
    def name(self) -> str:
        return "action_out_of_area"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        d = service()
        postcode = tracker.get_slot("patient_postcode")
        dispatcher.utter_message(
            text=f"{postcode} is outside the area the {d.name} covers ({d.area_name}), so I can't take this referral. "
                 f"Please contact the community services or adult social care team for the patient's own area.")
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
