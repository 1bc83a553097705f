"""Nothing a caller confirmed is lost: answers the case store would refuse are caught at the question,
lists stay lists, several referrals in one conversation are each stored once, an API that refuses or hangs
at the last step loses nothing, and a Rasa restart mid-conversation carries on where it was."""
from __future__ import annotations

import json
import os
import signal
import time

from .helpers import chat, enrol_gp, referral_turns, referrals_of


def test_answers_too_long_for_the_store_are_caught_at_the_question(stack):
    number = enrol_gp(stack)
    long_address = "Flat 3, " + "Porchester Square Mansions, " * 12  # over the store's 300 characters
    reason = "Discharge summary: " + "mobility reduced after a fall, " * 120  # 3,900 characters: kept whole
    reason = reason[:3900]
    turns = referral_turns(number)
    conversation_id, replies = chat(stack, [*turns[:7], long_address, turns[7], *turns[8:13], "x" * 4500,
                                            reason, *turns[14:]])
    assert "shorten" in replies[7] and "postcode" in replies[8]
    assert "too long" in replies[14]
    assert "The referral is stored" in replies[-1]
    (_reference, _key, stored_reason, _goals, _verification), = referrals_of(stack, conversation_id)
    assert stored_reason == reason.strip()


def test_plain_words_for_goals_are_stored_as_one_goal(stack):
    number = enrol_gp(stack)
    goals = "she wants to get back to her allotment"
    conversation_id, replies = chat(stack, referral_turns(number, goals=goals))
    assert "The referral is stored" in replies[-1]
    (_reference, _key, _reason, stored_goals, _verification), = referrals_of(stack, conversation_id)
    assert (json.loads(stored_goals) if isinstance(stored_goals, str) else stored_goals) == [goals]


def test_two_patients_in_one_chat_are_two_referrals_each_stored_once(stack):
    number = enrol_gp(stack)
    conversation_id, first = chat(stack, referral_turns(number))
    sender = conversation_id.removeprefix("chat-")
    _, second = chat(stack, ["hello", *referral_turns(number, name="Mr Arthur Nolan", born="2 November 1936",
                                                      nhs="4010232137")], sender=sender)
    assert "The referral is stored" in first[-1] and "The referral is stored" in second[-1]
    stored = referrals_of(stack, conversation_id)
    assert len(stored) == 2 and stored[0][1] != stored[1][1]  # one Idempotency-Key each
    assert all(row[4] is not None for row in stored)           # each names the PIN check behind it


def test_a_referral_the_api_refuses_at_the_last_step_is_not_claimed_stored(stack):
    number = enrol_gp(stack)
    turns = referral_turns(number)
    conversation_id, replies = chat(stack, turns[:-1])
    assert "Is that all correct?" in replies[-1]
    stack.flask("referrer", "deactivate", "--body", "GMC", "--number", number)  # between read-back and yes
    _, (answer,) = chat(stack, [turns[-1]], sender=conversation_id.removeprefix("chat-"))
    assert "couldn't be stored" in answer and "0300 033 0333" in answer
    assert referrals_of(stack, conversation_id) == []


def test_a_frozen_api_at_the_last_step_keeps_the_referral_and_delivers_it_once(stack):
    number = enrol_gp(stack)
    turns = referral_turns(number)
    conversation_id, replies = chat(stack, turns[:-1])
    api = stack.pids["api"]
    os.kill(api, signal.SIGSTOP)
    try:
        started = time.monotonic()
        _, (answer,) = chat(stack, [turns[-1]], sender=conversation_id.removeprefix("chat-"))
        waited = time.monotonic() - started
    finally:
        os.kill(api, signal.SIGCONT)
    assert waited < 10, f"the caller waited {waited:.1f} s"
    assert "kept the referral safely" in answer and "don't need to call" in answer
    deadline = time.time() + 30
    while not referrals_of(stack, conversation_id) and time.time() < deadline:
        time.sleep(0.5)
    time.sleep(3)  # any second delivery would have happened by now (the outbox retries every second)
    assert len(referrals_of(stack, conversation_id)) == 1


def test_a_rasa_restart_mid_conversation_carries_on(scaled):
    number = enrol_gp(scaled)
    turns = referral_turns(number)
    conversation_id, before = chat(scaled, turns[:9])
    scaled.restart_rasa()
    _, after = chat(scaled, turns[9:], sender=conversation_id.removeprefix("chat-"))
    assert "live alone" in after[0]  # the answer after the restart (the phone) is taken, and the next asked
    assert "The referral is stored" in after[-1]
    assert len(referrals_of(scaled, conversation_id)) == 1


def test_a_question_or_an_interruption_never_fills_an_answer(stack):
    number = enrol_gp(stack)
    turns = referral_turns(number, alone="she lives with her husband")
    conversation_id, replies = chat(stack, [*turns[:3], "which one is quicker?", *turns[3:10], "send it",
                                            *turns[10:]])
    assert "Rapid Response" in replies[3] and "Rehabilitation and Reablement" in replies[3]
    assert "full name" not in replies[3]                      # not taken as a choice
    assert "live alone" in replies[11]                        # "send it" is no answer to "does she live alone?"
    assert "The referral is stored" in replies[-1]
    stored = stack.rows("SELECT service, patient_lives_alone FROM referrals "
                        f"WHERE conversation_id = '{conversation_id}'")
    assert stored == [("rapid_response", False)]
