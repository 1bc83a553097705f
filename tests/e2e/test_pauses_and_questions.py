"""An emergency pauses the referral; a caller's question is answered from the service file and the question that
was waiting comes back. Through the real processes, by chat and by telephone, then what the case store holds."""
from referral_rules.service_definition import load

from .test_chat_referrals import conversation, referral_for, referrals_of
from .test_voice_calls import gp_signs_in, heard, referral, typed
from .test_voice_calls import referrals_of as call_referrals

CIS = load("data/services/cis.yml")
ADVICE = "If someone is seriously ill or injured"

SIGNED_IN = ["I'm a GP", "7123456", "482913", "rapid response"]
REST_OF_REFERRAL = ["7th March 1941", "943 476 5919", "12 Porchester Square", "W2 4RJ", "07712 345678",
                    "yes she lives alone", "yes she's agreed", "at home", "fall last week, now unsteady",
                    "walking", "walk to the shops", "falls", "no", "today please", "yes that's all correct"]


def said(replies) -> str:
    return " ".join(replies)


def test_an_emergency_pauses_the_chat_until_the_referrer_says_carry_on(stack):
    sender, replies = conversation(stack, [
        *SIGNED_IN,
        "she's collapsed and she's not breathing",
        "Edith Clarke",                                   # while paused: not taken as her name
        "ok the paramedics are with her now, we can carry on",
        "Edith Clarke", *REST_OF_REFERRAL])
    emergency, while_paused, carried_on = replies[4], replies[5], replies[6]
    assert emergency[0].startswith(ADVICE) and "call 999 now" in emergency[0]
    assert "paused" in said(emergency) and not any(line.endswith("?") for line in emergency)  # nothing asked
    assert "paused" in said(while_paused) and "date of birth" not in said(while_paused)
    assert "patient's full name" in said(carried_on)
    stored = referral_for(stack, sender)
    assert stored["patient"]["given_name"] == "Edith" and stored["patient"]["family_name"] == "Clarke"
    assert stored["patient"]["date_of_birth"] == "1941-03-07" and stored["status"] == "new"


def test_frustration_is_not_an_emergency_and_the_question_is_answered(stack):
    sender, replies = conversation(stack, [*SIGNED_IN, "Edith Clarke", "why do you need all this?"])
    assert not any(ADVICE in line for line in replies[-1])
    assert "right person" in said(replies[-1]) and "date of birth" in said(replies[-1])  # why, then the question
    assert referrals_of(stack, sender) == []


def test_questions_mid_referral_are_answered_from_the_service_file_and_never_fill_a_slot(stack):
    sender, replies = conversation(stack, [
        *SIGNED_IN, "Edith Clarke",
        "how long does rapid response last?",
        "what happens after this?",
        "does she have to be at home for it?",
        *REST_OF_REFERRAL])
    how_long, what_next, at_home = replies[5], replies[6], replies[7]
    assert CIS.services["rapid_response"].summary in said(how_long)
    assert CIS.callers_told.what_happens_next in said(what_next)
    assert CIS.callers_told.where_seen in said(at_home)
    for answer in (how_long, what_next, at_home):
        assert answer[-1] == "What is the patient's date of birth?"  # the waiting question, again
    stored = referral_for(stack, sender)
    assert stored["patient"]["date_of_birth"] == "1941-03-07" and stored["patient"]["given_name"] == "Edith"


def test_opening_hours_asked_before_any_referral_come_from_the_file(stack):
    _, replies = conversation(stack, ["what are your opening hours?"])
    assert f"from {CIS.opens:%H:%M} to {CIS.closes:%H:%M} every day" in said(replies[0])


def test_on_the_phone_an_emergency_offers_to_end_the_call_and_keeps_what_was_given(stack):
    call = gp_signs_in(stack, caller="+442079460555")
    call.say("Rapid response.")
    call.say("Edith Clarke")
    answer = call.say("She's collapsed and she's not breathing.")
    assert answer[0].startswith(ADVICE)
    assert "Shall I end this call now" in heard(answer) and "kept for the team" in heard(answer)
    assert "date of birth" not in heard(answer)
    goodbye = heard(call.say("Yes."))
    assert "call 999 now" in goodbye and call.ended
    call.hang_up()
    assert [row[:4] for row in call_referrals(stack, call)] == [("incomplete", "voice", "+442079460555", "Edith")]


def test_on_the_phone_carry_on_after_an_emergency_and_a_question_answered(stack):
    call = gp_signs_in(stack)
    call.say("Rapid response.")
    call.say("She's collapsed and she's not breathing.")
    assert "full name" in heard(call.say("No, carry on, the ambulance is here."))
    assert "date of birth" in heard(call.say("Edith Clarke"))
    answer = heard(call.say("Who will call her?"))
    assert CIS.callers_told.who_will_call in answer and "date of birth" in answer
    typed(call, "07031941")
    call.hang_up()
    stored = referral(stack, call)
    assert stored["status"] == "incomplete" and stored["patient"]["date_of_birth"] == "1941-03-07"
