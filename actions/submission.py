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

from referral_rules import contract

from . import intake_client, outbox
from .form_base import channel_of, out_of_hours_notice, service
from .parsing import items
from .public_callers import contacts_text
from .summary import FIELDS, asked_as, start_correction

log = logging.getLogger(__name__)

# The API's name for a refused field -> the slot the caller corrects at the read-back.
FIELD_SLOTS = {f.request_path: f.slot for f in contract.FIELDS.values() if f.slot in FIELDS and f.request_path}


def _list(value) -> list[str]:
    """A list slot as a list, however it was filled."""
    if isinstance(value, str):
        return items(value)
    return [str(v) for v in value or [] if str(v).strip()]


def _asked(field: contract.Field, slot) -> bool:
    """Whether the field's question applies (no discharge date for a patient at home)."""
    if not field.only_when:
        return True
    other, value = field.only_when
    return contract.FIELDS[other].answer(slot(contract.FIELDS[other].slot)) == value


def referral_payload(tracker: Tracker) -> dict:
    """The referral as the intake API takes it, made from the slots by the referral contract. A field whose
    answer is not known (not given, "unknown", or a question that did not apply) is sent as null."""
    slot = tracker.get_slot
    kind = contract.FIELDS["referrer.kind"].answer(slot("caller_type"))
    payload: dict = {"channel": channel_of(tracker), "conversation_id": tracker.sender_id}
    for field in contract.slot_fields(kind):
        value = _list(slot(field.slot)) if field.kind == "list" else field.answer(slot(field.slot))
        contract.put(payload, field.request_path, value if _asked(field, slot) else None)
    return payload


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
                                          f"Let's change {asked_as(slot)}.")
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
