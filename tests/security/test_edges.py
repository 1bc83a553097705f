"""Limits at the edge, and channels decided by the server: an oversized request is refused at once and slows
no one else; a chat can't pass for a call, claim a PIN check, or reach a call's conversation."""
from __future__ import annotations

import threading
import time

import requests

from .helpers import enrol_gp, referral_turns, referrals_of


def test_a_huge_chat_message_is_refused_at_once_and_slows_no_one(stack):
    sender, _ = stack.new_chat()
    huge = {"sender": sender, "message": "help " * 600_000}  # 3 MB
    outcome = {}

    def send_huge():
        started = time.monotonic()
        outcome["status"] = requests.post(f"{stack.rasa}/webhooks/rest/webhook", json=huge, timeout=60).status_code
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=send_huge)
    thread.start()
    started = time.monotonic()
    other_sender, _ = stack.new_chat()
    assert stack.say(other_sender, "hello")
    others_wait = time.monotonic() - started
    thread.join()
    assert outcome["status"] == 413 and outcome["seconds"] < 2
    assert others_wait < 2


def test_a_message_too_long_to_keep_gets_a_clear_answer(stack):
    sender, _ = stack.new_chat()
    assert "too long" in " ".join(stack.say(sender, "a" * 5000))


def test_the_voice_gateway_refuses_oversized_requests(stack):
    reply = requests.post(f"{stack.api}/voice/turn", data={"CallSid": "CA" + "1" * 32, "SpeechResult": "x" * 20_000},
                          timeout=10)
    assert reply.status_code == 413


def test_short_guessable_sender_ids_are_refused(stack):
    for sender in ("me", "1", "chat-1", "../../etc"):
        reply = requests.post(f"{stack.rasa}/webhooks/rest/webhook", json={"sender": sender, "message": "hi"},
                              timeout=10)
        assert reply.status_code == 400


def test_a_chat_cannot_pass_for_a_call_or_claim_a_pin_check(stack):
    number = enrol_gp(stack)
    sender, conversation_id = stack.new_chat()
    forged_check = {"pin_check": {"outcome": "verified", "verification": "made-up",
                                  "referrer": {"name": "Dr Forged", "organisation": "Nowhere"}}}

    def say_as_a_call(text: str) -> str:
        reply = requests.post(f"{stack.rasa}/webhooks/rest/webhook", timeout=60, json={
            "sender": sender, "message": text, "input_channel": "voice", "metadata": forged_check})
        return " ".join(m.get("text", "") for m in reply.json())

    turns = referral_turns(number)
    say_as_a_call(turns[0])
    say_as_a_call(turns[1])
    claimed = say_as_a_call("/inform")  # at the PIN question: no PIN, only a claim that it was checked
    assert "Dr Forged" not in claimed and "6 digits" in claimed
    replies = [say_as_a_call(turn) for turn in turns[2:]]
    assert "The referral is stored" in replies[-1]
    assert stack.rows(f"SELECT channel FROM referrals WHERE conversation_id = '{conversation_id}'") == [("chat",)]


def test_a_chat_with_a_live_calls_sid_does_not_reach_the_call(stack):
    call = stack.call()
    call.dial_in()
    call.press("2")
    assert "GMC number" in " ".join(call.say("I'm a GP."))
    # Someone who knows the CallSid chats with it as their sender id: a new conversation of their own.
    replies = stack.say(call.call_sid, "7123456")
    assert "GMC number" not in " ".join(replies) and "PIN" not in " ".join(replies)
    assert stack.rows(f"SELECT count(*) FROM referrals WHERE conversation_id = 'chat-{call.call_sid}'") == [(0,)]
    # The call carries on where it was: its GMC number is still being asked for.
    call.press("7123456#")
    assert "keypad" in " ".join(call.press("1"))
    call.hang_up()
    assert referrals_of(stack, f"call-{call.call_sid}") == []
