"""Storing the confirmed referral: exactly once, and the caller is told the truth."""
from __future__ import annotations

import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from . import intake_client
from .form_base import channel_of, out_of_hours_notice, service
from .public_callers import contacts_text

log = logging.getLogger(__name__)


def referral_payload(tracker: Tracker) -> dict:
    slot = tracker.get_slot
    given, _, family = (slot("patient_name") or "").rpartition(" ")
    if slot("caller_type") == "professional":
        body, number = slot("registration_number").split(" ", 1)
        referrer = {"kind": "professional", "registration_body": body, "registration_number": number}
    else:
        referrer = {"kind": "returning_client", "name": slot("caller_name"),
                    "relationship": slot("caller_relationship"), "phone": slot("caller_phone")}
    nhs = slot("patient_nhs_number")
    return {
        "service": slot("service"),
        "channel": channel_of(tracker),
        "conversation_id": tracker.sender_id,
        "referrer": referrer,
        "patient": {"given_name": given, "family_name": family, "date_of_birth": slot("patient_date_of_birth"),
                    "nhs_number": None if nhs in (None, "unknown") else nhs, "address_line": slot("patient_address"),
                    "postcode": slot("patient_postcode"), "phone": slot("patient_phone"),
                    "lives_alone": bool(slot("lives_alone"))},
        "consent": slot("consent"),
        "setting": slot("setting"),
        "expected_discharge_date": slot("expected_discharge_date") if slot("setting") == "hospital" else None,
        "reason": slot("reason"),
        "difficulties": slot("difficulties") or [],
        "goals": slot("goals") or [],
        "risks": slot("risks") or [],
        "mental_health_crisis": bool(slot("mental_health_crisis")),
        "urgency": slot("urgency"),
    }


def spoken_reference(reference: str) -> str:
    return " ".join(reference)


class ActionSubmitReferral(Action):
    def name(self) -> str:
        return "action_submit_referral"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        d = service()
        try:
            reply = await intake_client.submit_referral(referral_payload(tracker), tracker.sender_id)
        except intake_client.IntakeUnavailable:
            dispatcher.utter_message(
                text="I'm sorry: our system didn't accept the referral just now, so it has NOT been sent yet. "
                     "I still have everything you told me. Shall I try again?")
            return [SlotSet("submission", "failed")]
        if not reply.ok:
            log.error("referral refused by the intake API: %s", reply.body.get("error"))
            dispatcher.utter_message(
                text=f"I'm sorry, the referral couldn't be stored ({reply.body.get('message', 'an error')}). "
                     f"Please call the {d.referral_line} on {d.referral_line_phone}, option {d.referral_line_option}.")
            return [SlotSet("submission", "failed")]
        referral = reply.body
        spoken = spoken_reference(referral["reference"])
        if channel_of(tracker) == "voice":
            dispatcher.utter_message(text=f"Thank you. The referral is stored. Your reference is {spoken}. "
                                          f"Again, that's {spoken}.")
        else:
            dispatcher.utter_message(text=f"Thank you. The referral is stored. Your reference is "
                                          f"{referral['reference']} ({spoken}).")
        next_steps = (f"The {d.name} team will review it and contact the patient"
                      f" on {referral['patient']['phone']}.")
        dispatcher.utter_message(text=next_steps + (" " + out_of_hours_notice() if referral["out_of_hours"] else ""))
        if referral.get("borough"):
            borough = d.borough(referral["borough"]["code"])
            dispatcher.utter_message(text=f"For help with care and support, {contacts_text(borough)}")
        # The conversation can start a new referral from here.
        return [AllSlotsReset(), SlotSet("referral_reference", referral["reference"]),
                SlotSet("submission", "stored")]


class ActionRetrySubmission(ActionSubmitReferral):
    def name(self) -> str:
        return "action_retry_submission"
