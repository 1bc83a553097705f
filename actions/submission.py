"""Storing the confirmed referral: exactly once, and the caller is told the truth.

Each referral of a conversation has its own Idempotency-Key (the conversation id and a random part, made
when it is first sent), so several referrals in one chat or call are each stored once, and every retry of
one of them returns that one. If the API doesn't answer in time the referral goes to the outbox and is
delivered when it is back; if the API refuses a field, the caller is taken back to the read-back to
correct that field.
"""
from __future__ import annotations

import logging
import uuid

from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from . import intake_client, outbox
from .form_base import NOT_APPLICABLE, channel_of, out_of_hours_notice, service
from .parsing import items
from .public_callers import contacts_text
from .summary import FIELDS, start_correction

log = logging.getLogger(__name__)

# The API's name for a refused field -> the slot the caller corrects at the read-back.
FIELD_SLOTS = {"patient.given_name": "patient_name", "patient.family_name": "patient_name",
               "patient.date_of_birth": "patient_date_of_birth", "patient.nhs_number": "patient_nhs_number",
               "patient.address_line": "patient_address", "patient.postcode": "patient_postcode",
               "patient.phone": "patient_phone", "expected_discharge_date": "expected_discharge_date",
               "reason": "reason", "difficulties": "difficulties", "goals": "goals", "risks": "risks"}


def known(value):
    """A slot's value, or None for an answer not given ("", "unknown", or a question that did not apply)."""
    return None if value in (None, "", NOT_APPLICABLE, "unknown") else value


def _list(value) -> list[str]:
    """A list slot as a list, however it was filled."""
    if isinstance(value, str):
        return items(value)
    return [str(v) for v in value or [] if str(v).strip()]


def referral_payload(tracker: Tracker) -> dict:
    slot = tracker.get_slot
    given, _, family = (slot("patient_name") or "").rpartition(" ")
    if slot("caller_type") == "professional":
        body, _, number = (slot("registration_number") or "").partition(" ")
        referrer = {"kind": "professional", "registration_body": body, "registration_number": number}
    else:
        referrer = {"kind": "returning_client", "name": slot("caller_name"),
                    "relationship": slot("caller_relationship"), "phone": slot("caller_phone")}
    referrer["verification"] = slot("verification")
    return {
        "service": slot("service"),
        "channel": channel_of(tracker),
        "conversation_id": tracker.sender_id,
        "referrer": referrer,
        "patient": {"given_name": given, "family_name": family, "date_of_birth": slot("patient_date_of_birth"),
                    "nhs_number": known(slot("patient_nhs_number")), "address_line": slot("patient_address"),
                    "postcode": slot("patient_postcode"), "phone": slot("patient_phone"),
                    "lives_alone": bool(slot("lives_alone"))},
        "consent": slot("consent"),
        "setting": slot("setting"),
        "expected_discharge_date": slot("expected_discharge_date") if slot("setting") == "hospital" else None,
        "reason": slot("reason"),
        "difficulties": _list(slot("difficulties")),
        "goals": _list(slot("goals")),
        "risks": _list(slot("risks")),
        "mental_health_crisis": bool(slot("mental_health_crisis")),
        "urgency": slot("urgency"),
    }


def spoken_reference(reference: str) -> str:
    return " ".join(reference)


def idempotency_key(tracker: Tracker) -> str:
    """This referral's key: kept in a slot from its first attempt, cleared when it is stored."""
    return tracker.get_slot("referral_key") or f"{tracker.sender_id}/{uuid.uuid4().hex[:12]}"


class ActionSubmitReferral(Action):
    def name(self) -> str:
        return "action_submit_referral"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        key, payload = idempotency_key(tracker), referral_payload(tracker)
        try:
            reply = await intake_client.submit_referral(payload, key)
        except intake_client.IntakeUnavailable:
            outbox.keep(key, payload)
            dispatcher.utter_message(
                text="Thank you. Our system is slow to answer just now, so I've kept the referral safely and it "
                     "will reach the team automatically as soon as the system is back. You don't need to call "
                     "again. I can't give you a reference number yet: the team will have it.")
            return [AllSlotsReset(), SlotSet("submission", "queued")]
        if not reply.ok:
            return self.refused(dispatcher, reply, key)
        return self.stored(dispatcher, tracker, reply.body)

    @staticmethod
    def refused(dispatcher: CollectingDispatcher, reply, key: str) -> list:
        """Back to the read-back to correct the field the API named; anything else, the plain truth."""
        error, field = reply.body.get("error"), reply.body.get("field")
        log.error("referral refused by the intake API: %s (%s)", error, field)
        slot = FIELD_SLOTS.get(field or "")
        if slot:
            dispatcher.utter_message(text=f"Sorry, I can't send the referral as it is: {reply.body.get('message')} "
                                          f"Let's change {FIELDS[slot][2]}.")
            return [SlotSet("referral_key", key), *(SlotSet(k, v) for k, v in start_correction(slot).items()),
                    FollowupAction("confirm_form")]
        d = service()
        dispatcher.utter_message(
            text=f"I'm sorry, the referral couldn't be stored ({reply.body.get('message', 'an error')}). "
                 f"Please call the {d.referral_line} on {d.referral_line_phone}, option {d.referral_line_option}.")
        return [SlotSet("referral_key", key), SlotSet("submission", "failed")]

    @staticmethod
    def stored(dispatcher: CollectingDispatcher, tracker: Tracker, referral: dict) -> list:
        d = service()
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
        # The conversation can start a new referral from here (with a new key).
        return [AllSlotsReset(), SlotSet("referral_reference", referral["reference"]),
                SlotSet("submission", "stored")]


class ActionRetrySubmission(ActionSubmitReferral):
    def name(self) -> str:
        return "action_retry_submission"
