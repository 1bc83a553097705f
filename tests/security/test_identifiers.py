"""Identifiers only where they belong: the PIN never in a log, a slot or the tracker store, by chat or by
telephone; a finished referral's answers and a refused caller's NHS number and date of birth not kept in
the tracker store; conversations deleted after the retention period; no process logs a body."""
from __future__ import annotations

import json
import time

from sqlalchemy import create_engine, text

from tests.postgres import POSTGRES_URL

from .helpers import (BORN_SAID, IDENTIFIERS, NHS_SPOKEN, PIN, chat, enrol_gp, found_in, identifiers_in_logs,
                      referral_turns, referrals_of)


def strings(value) -> list[str]:
    """Every text in a stored event (numbers such as confidences are left out: their digits are noise)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for key, item in value.items() for s in (key, *strings(item))]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return []


def stored_text(stack, conversation_id: str) -> str:
    """What the tracker store keeps of a conversation, as text."""
    return "\n".join(s for row in stack.tracker_events(conversation_id) for s in strings(json.loads(row)))


def test_a_chat_referral_leaves_no_pin_or_patient_identifiers_in_the_tracker_store(scaled):
    number = enrol_gp(scaled)
    turns = referral_turns(number)
    conversation_id, replies = chat(scaled, turns[:4])  # up to the service question: still in progress
    assert "Dr Test" in replies[2]
    assert found_in(stored_text(scaled, conversation_id), [PIN]) == []
    _, replies = chat(scaled, turns[4:], sender=conversation_id.removeprefix("chat-"))
    assert "The referral is stored" in replies[-1]
    assert len(referrals_of(scaled, conversation_id)) == 1
    stored = stored_text(scaled, conversation_id)
    assert stored, "the conversation should be in the PostgreSQL tracker store"
    assert found_in(stored, [*IDENTIFIERS, "Edith", "Porchester", "07712 345678", "+447712345678"]) == []
    assert identifiers_in_logs(scaled) == {}


def test_a_telephone_pin_never_reaches_the_tracker_store(scaled):
    number = enrol_gp(scaled)
    call = scaled.call()
    call.dial_in()
    call.press("2")
    call.say("I'm a GP.")
    call.press(number + "#")                    # read back digit by digit, then confirmed
    assert "keypad" in " ".join(call.press("1"))
    assert "Dr Test" in " ".join(call.press(PIN))
    assert found_in(stored_text(scaled, f"call-{call.call_sid}"), [PIN]) == []
    call.hang_up()
    assert identifiers_in_logs(scaled) == {}


def test_a_refused_relatives_identifiers_are_not_kept(scaled):
    conversation_id, replies = chat(scaled, ["hello", "it's about my mum", "yes, you saw her last year",
                                             "4505577104", BORN_SAID])
    assert "GP" in replies[-1]  # refused kindly, and pointed to the GP
    assert found_in(stored_text(scaled, conversation_id), ["4505577104", "450 557 7104", BORN_SAID, "1941-03-07"]) == []
    assert scaled.rows(f"SELECT reason FROM declined_contacts WHERE conversation_id = '{conversation_id}'") == [
        ("public_not_returning_client",)]


def test_conversations_are_deleted_after_the_retention_period(scaled):
    conversation_id, _ = chat(scaled, ["hello", "I'm a GP"])
    assert scaled.tracker_events(conversation_id)
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as conn:  # as if its last message were 25 hours ago (retention: 24 hours)
        conn.execute(text(f"UPDATE {scaled.env['POSTGRESQL_SCHEMA']}.events SET timestamp = timestamp - 25 * 3600 "
                          "WHERE sender_id = :s"), {"s": conversation_id})
    engine.dispose()
    deadline = time.time() + 30
    while scaled.tracker_events(conversation_id) and time.time() < deadline:
        time.sleep(1)
    assert scaled.tracker_events(conversation_id) == []


def test_an_impossible_date_gets_an_answer_and_logs_nothing(stack):
    """29/02/24 as an expected discharge date once made an action raise, and Rasa logged the whole tracker."""
    number = enrol_gp(stack)
    turns = referral_turns(number, setting="she's on the ward at St Mary's")
    conversation_id, replies = chat(stack, [*turns[:13], "29/02/24"])
    assert replies[-1].strip(), "every message gets a reply"
    assert "?" in replies[-1]
    assert identifiers_in_logs(stack) == {}
    assert NHS_SPOKEN not in "".join(stack.log(name) for name in ("rasa0", "actions", "api"))
