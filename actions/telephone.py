"""The end of a telephone call. When Twilio reports the call over, the voice gateway (intake_api/voice/)
tells the Rasa voice channel, which runs this action itself (bot/voice_channel.py: no intent, so nothing a
caller types or says can trigger it). A verified professional's unfinished referral is kept as an
**incomplete** intake, with the number they called from, so staff can call back. Nothing is kept for a
member of the public, and a referral already stored is not stored again (its slots were reset when it was
stored).
"""
from __future__ import annotations

import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from referral_rules import validation

from . import intake_client, outbox
from .form_base import channel_of
from .submission import referral_payload

log = logging.getLogger(__name__)


def gateway_metadata(tracker: Tracker) -> dict:
    """What the voice gateway sends with every turn: {"callback_phone": the caller's number, E.164}."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return event.get("metadata") or {}
    return {}


def incomplete_payload(tracker: Tracker, callback_phone: str | None) -> dict:
    """What the professional had given so far: the referral's payload, with null for what was not answered
    (never guessed), marked incomplete, and the number they called from to call them back."""
    payload = {**referral_payload(tracker), "status": "incomplete"}
    if callback_phone:
        payload["referrer"]["phone"] = callback_phone
    return payload


def callback_number(raw: str | None) -> str | None:
    try:
        return validation.uk_phone(raw) if raw else None
    except validation.Invalid:
        return None  # withheld or not a UK number: staff use the directory's number


class ActionCallEnded(Action):
    def name(self) -> str:
        return "action_call_ended"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        if channel_of(tracker) != "voice":
            return []  # only telephone calls end
        metadata = gateway_metadata(tracker)
        unfinished = (tracker.get_slot("auth_outcome") == "verified" and tracker.get_slot("caller_type") == "professional"
                      and tracker.get_slot("registration_number"))
        if unfinished:
            payload = incomplete_payload(tracker, callback_number(metadata.get("callback_phone")))
            key = f"{tracker.sender_id}/call-ended"
            try:
                reply = await intake_client.submit_referral(payload, key)
                if reply.ok:
                    log.info("call ended before submitting: incomplete intake %s kept", reply.body.get("reference"))
                else:
                    log.error("incomplete intake refused by the intake API: %s", reply.body.get("error"))
            except intake_client.IntakeUnavailable:
                outbox.keep(key, payload)  # delivered when the API is back
        # The call is over: nothing more is kept in the conversation.
        return [ActiveLoop(None), AllSlotsReset()]
