"""The referrer's PIN is checked here, in the input channel, and never reaches Rasa.

When a conversation is at the PIN question and the caller's message has digits, the channel asks the intake
API itself (POST /api/referrers/verify, with this conversation's id) and hands Rasa, instead of the
message, the text "/inform" (an intent, so the NLU never sees it) and the outcome as metadata
``{"pin_check": {"outcome": ..., ...}}``. So the PIN is in no slot, no tracker event and no log, whichever
tracker store is used; ``validate_pin`` (actions/authentication.py) reads the outcome. Only the channels
set metadata (client-sent metadata is dropped), so a caller cannot claim an outcome.
"""
from __future__ import annotations

import logging
import re
from typing import Any, Optional

from actions import intake_client

log = logging.getLogger(__name__)

STAND_IN = "/inform"
_OUTCOMES = {401: "not_verified", 422: "not_verified", 423: "locked", 429: "locked"}


async def at_pin_question(tracker_store, conversation_id: str) -> Optional[Any]:
    """The conversation's tracker if its PIN is being asked for, else None."""
    tracker = await tracker_store.retrieve(conversation_id)
    if tracker is None or tracker.active_loop_name != "professional_form":
        return None
    return tracker if tracker.get_slot("requested_slot") == "pin" else None


async def instead_of_pin(tracker_store, conversation_id: str, text: str) -> Optional[tuple[str, dict]]:
    """What Rasa gets instead of a message that answers the PIN question, or None for any other message."""
    if not re.search(r"\d", text):  # any script's digits: a PIN typed in them must not reach Rasa either
        return None  # no PIN in it: an ordinary message ("speak to a person", "stop")
    tracker = await at_pin_question(tracker_store, conversation_id)
    if tracker is None:
        return None
    pin = re.sub(r"[^0-9]", "", text)
    if len(pin) != 6:
        outcome = {"outcome": "invalid"}
    else:
        body, _, number = (tracker.get_slot("registration_number") or "").partition(" ")
        outcome = await verify(conversation_id, body, number, pin)
    return STAND_IN, {"pin_check": outcome}


async def verify(conversation_id: str, body: str, number: str, pin: str) -> dict:
    """The intake API's answer (actions/intake_client.py, the one client of the API), as an outcome: verified
    (with the referrer and the verification token), not_verified, locked, or unavailable."""
    try:
        reply = await intake_client.verify_referrer(body, number, pin, conversation_id)
    except intake_client.IntakeUnavailable:
        return {"outcome": "unavailable"}
    if reply.ok:
        return {"outcome": "verified", "referrer": reply.body["referrer"],
                "verification": reply.body["verification"]["token"]}
    if reply.status in _OUTCOMES:
        return {"outcome": _OUTCOMES[reply.status]}
    log.warning("PIN check: intake API answered %s", reply.status)
    return {"outcome": "unavailable"}
