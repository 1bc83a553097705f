"""Whole telephone calls: the voice gateway in the intake API, driven as Twilio drives it
(tests/voice/simulator.py), relaying to the Rasa server's voice channel; then what the case store holds."""
from __future__ import annotations

import pytest
import requests
from twilio.request_validator import RequestValidator

from .stack import SPR_STAFF_NUMBER, TWILIO_AUTH_TOKEN, Stack


def heard(lines: list[str]) -> str:
    return " ".join(lines)


def referrals_of(stack, call) -> list:
    return stack.rows("SELECT status, channel, referrer_phone, patient_given_name, patient_nhs_number, "
                      f"patient_date_of_birth FROM referrals WHERE conversation_id = 'call-{call.call_sid}'")


def declined(stack, call) -> list:
    return stack.rows(f"SELECT reason, channel, borough_code FROM declined_contacts "
                      f"WHERE conversation_id = 'call-{call.call_sid}'")


def referral(stack, call) -> dict:
    listed = [r for r in stack.staff_get("/api/referrals?channel=voice")["referrals"]
              if r["conversation_id"] == f"call-{call.call_sid}"]
    assert len(listed) == 1, f"expected one referral for the call, found {len(listed)}"
    return stack.staff_get(f"/api/referrals/{listed[0]['id']}")


def into_the_cis(stack, **options):
    call = stack.call(**options)
    menu = heard(call.dial_in())
    assert "press 2" in menu
    return call, heard(call.press("2"))


def typed(call, digits: str) -> str:
    """A number typed on the keypad, then confirmed when it is read back."""
    read_back = heard(call.press(digits + "#"))
    assert "I heard " + " ".join(digits) + "." in read_back, read_back
    return heard(call.press("1"))


def spoken(call, words: str, read_back: str) -> str:
    """A number said aloud, then confirmed by voice when it is read back."""
    heard_back = heard(call.say(words))
    assert f"I heard {read_back}" in heard_back, heard_back
    return heard(call.say("Yes, that's right."))


def gp_signs_in(stack, **options):
    call, opening = into_the_cis(stack, **options)
    assert "health or social care professional" in opening
    assert "GMC number" in heard(call.say("I'm a GP."))
    pin_question = typed(call, "7123456")
    assert "keypad" in pin_question and call.waiting_for == "dtmf"
    assert "Dr Asha Patel" in heard(call.press("482913"))
    return call


def test_a_gp_refers_to_rapid_response_on_the_keypad(stack):
    call = gp_signs_in(stack)
    assert "full name" in heard(call.say("Rapid response, please."))
    assert "date of birth" in heard(call.say("Edith Clarke"))
    assert "NHS number" in typed(call, "07031941")
    assert "address" in typed(call, "9434765919")
    call.say("Flat 3, 12 Porchester Square")
    assert "phone" in heard(call.say("W2 4RJ"))
    typed(call, "07712345678")
    for answer in ["Yes, she lives alone.", "Yes, she's agreed.", "She's at home.",
                   "A fall at home last week, now unsteady on her feet.", "Mobility, washing and dressing.",
                   "Walk to the local shops.", "Falls and lives alone.", "No."]:
        call.say(answer)
    summary = heard(call.say("Today, please."))
    assert "9 4 3 4 7 6 5 9 1 9" in summary                     # the read-back, digit by digit
    done = heard(call.say("Yes, that's all correct."))
    stored = referral(stack, call)
    assert " ".join(stored["reference"]) in done
    assert stored["channel"] == "voice" and stored["status"] == "new" and stored["service"] == "rapid_response"
    assert stored["referrer"]["name"] == "Dr Asha Patel"
    assert stored["patient"] == {"given_name": "Edith", "family_name": "Clarke", "date_of_birth": "1941-03-07",
                                 "nhs_number": "9434765919", "address_line": "Flat 3, 12 Porchester Square",
                                 "postcode": "W2 4RJ", "phone": "+447712345678", "lives_alone": True}
    assert stored["borough"]["name"] == "Westminster" and stored["urgency"] == "urgent"
    call.hang_up()                                               # a hang-up after the referral adds nothing
    assert [row[0] for row in referrals_of(stack, call)] == ["new"]


def test_a_nurse_refers_by_speech_with_the_pin_on_the_keypad(stack):
    call, _ = into_the_cis(stack)
    assert "NMC registration number" in heard(call.say("I'm a district nurse."))
    spoken(call, "12 A 3456 E", "1 2 A 3 4 5 6 E")
    assert call.waiting_for == "dtmf"
    assert "PIN" in heard(call.say("four eight two nine one three"))   # not heard: the PIN is keypad only
    assert "Grace Mensah" in heard(call.press("482913"))
    call.say("Rehabilitation and reablement.")
    call.say("John Smith")
    assert "NHS number" in spoken(call, "2nd of January 1950", "2nd of January 1950")
    assert "address" in spoken(call, "943 476 5919", "9 4 3, 4 7 6, 5 9 1 9")
    call.say("14 Elgin Crescent")
    call.say("W11 3LP")
    spoken(call, "020 7946 0321", "0 2 0, 7 9 4 6, 0 3 2 1")
    for answer in ["No, he lives with his wife.", "Yes.", "At home.", "Struggling since his stroke in the summer.",
                   "Washing and preparing food.", "Make a cup of tea on his own.", "None.", "No.", "Routine."]:
        call.say(answer)
    call.say("Yes.")
    stored = referral(stack, call)
    assert stored["channel"] == "voice" and stored["referrer"]["profession"] == "nurse"
    assert stored["service"] == "rehab_reablement"
    assert stored["patient"]["date_of_birth"] == "1950-01-02" and stored["patient"]["phone"] == "+442079460321"
    assert stored["patient"]["nhs_number"] == "9434765919" and stored["patient"]["lives_alone"] is False


def test_three_wrong_pins_lock_the_registration_and_store_nothing(stack):
    stack.flask("referrer", "enrol", "--body", "GMC", "--number", "7000123", "--name", "Dr Lee Voice",
                "--profession", "gp", "--organisation", "Test Surgery", "--pin", "482913")
    call, _ = into_the_cis(stack)
    call.say("I'm a GP.")
    for pin in ["111111", "222222", "333333"]:
        typed(call, "7000123")
        answer = heard(call.press(pin))
    assert "locked for 15 minutes" in answer and "put you through" in answer
    assert call.dialled == [SPR_STAFF_NUMBER] and call.ended        # the hang-up after the transfer
    assert referrals_of(stack, call) == []


def test_a_member_of_the_public_is_refused_with_the_borough_numbers_read_out(stack):
    call, _ = into_the_cis(stack)
    assert "supported this person before" in heard(call.say("It's about my mum."))
    refusal = heard(call.say("No, never."))
    assert "GP" in refusal
    assert "0 2 0, 7 3 6 1, 3 0 1 3" in refusal and "0 2 0, 7 6 4 1, 2 5 0 0" in refusal
    call.hang_up()
    assert declined(stack, call) == [("public_not_returning_client", "voice", None)]
    assert referrals_of(stack, call) == []


def test_speak_to_a_person_in_opening_hours_is_put_through(stack):
    call = gp_signs_in(stack)
    answer = heard(call.say("Can I speak to a real person, please?"))
    assert "put you through" in answer and "full name" not in answer
    assert call.dialled == [SPR_STAFF_NUMBER] and call.ended


def test_silence_twice_offers_the_team_then_says_goodbye(stack):
    call, opening = into_the_cis(stack)
    assert "Sorry, I didn't hear anything" in heard(call.silence())
    assert "press 1" in heard(call.silence())
    assert "Goodbye" in heard(call.silence())
    assert call.ended and call.dialled == []
    assert referrals_of(stack, call) == [] and declined(stack, call) == []


def test_a_hang_up_after_signing_in_leaves_an_incomplete_intake_with_the_callback_number(stack):
    call = gp_signs_in(stack, caller="+442079460555")
    call.say("Rapid response.")
    call.say("Edith Clarke")
    typed(call, "07031941")
    call.hang_up()
    rows = referrals_of(stack, call)
    assert rows == [("incomplete", "voice", "+442079460555", "Edith", None, rows[0][5])]
    stored = referral(stack, call)
    assert stored["status"] == "incomplete" and stored["referrer"]["phone"] == "+442079460555"
    assert stored["patient"]["date_of_birth"] == "1941-03-07" and stored["service"] == "rapid_response"


def test_a_public_callers_hang_up_keeps_nothing_about_the_patient(stack):
    call, _ = into_the_cis(stack)
    call.say("I'm calling about my dad.")
    call.say("Yes, they came out to him last winter.")
    typed(call, "4010232137")
    call.hang_up()
    assert referrals_of(stack, call) == [] and declined(stack, call) == []


def test_requests_not_signed_by_twilio_are_refused_and_change_nothing(stack):
    call = gp_signs_in(stack)
    end = {"AccountSid": "AC" + "0" * 32, "CallSid": call.call_sid, "From": call.caller, "To": call.number,
           "CallStatus": "completed", "Direction": "inbound"}
    status_url = f"{stack.api}/voice/status"
    forged = [
        {},                                                                                 # unsigned
        {"X-Twilio-Signature": RequestValidator("not-the-token").compute_signature(status_url, end)},
        {"X-Twilio-Signature": RequestValidator(TWILIO_AUTH_TOKEN).compute_signature(   # replayed elsewhere
            f"{stack.api}/voice/incoming", end)},
    ]
    for headers in forged:
        assert requests.post(status_url, data=end, headers=headers, timeout=10).status_code == 403
        assert requests.post(f"{stack.api}/voice/turn?ask=pin", data={**end, "Digits": "482913"},
                             headers=headers, timeout=10).status_code == 403
    # Nor does the assistant's voice channel take turns from anyone but the gateway.
    turn = {"sender": call.call_sid, "event": "call_ended"}
    assert requests.post(f"{stack.rasa}/webhooks/voice/webhook", json=turn, timeout=10).status_code == 403
    assert requests.post(f"{stack.rasa}/webhooks/voice/webhook", json=turn, timeout=10,
                         headers={"Authorization": "Bearer not-the-token"}).status_code == 403
    assert referrals_of(stack, call) == []
    # The conversation was not touched: it carries on from the service question.
    assert "patient's full name" in heard(call.say("Rapid response."))
    call.hang_up()
    assert [row[0] for row in referrals_of(stack, call)] == ["incomplete"]


@pytest.fixture(scope="module")
def closed_stack(tmp_path_factory):
    """The service at 21:30, when the team is closed."""
    running = Stack(tmp_path_factory.mktemp("closed"), now="2026-11-24T21:30:00+00:00")
    try:
        running.up()
        yield running
    finally:
        running.down()


def test_out_of_hours_speak_to_a_person_gives_the_hours_and_offers_a_call_back(closed_stack):
    call, opening = into_the_cis(closed_stack, caller="+442079460777")
    assert "08:00 to 20:00" in opening
    answer = heard(call.say("I want to speak to a person."))
    assert "closed just now" in answer and "08:00 to 20:00" in answer
    assert "call you back on the number you're calling from when they open at 08:00, press 1" in answer
    assert call.waiting_for == "dtmf" and call.dialled == []
    assert heard(call.press("1")) == ("Thank you. The team will call you back on the number ending 7 7 7 after "
                                      "08:00. Goodbye.")
    assert call.ended
    stored = closed_stack.rows(f"SELECT phone, status, due_at FROM callback_requests "
                               f"WHERE call_sid = '{call.call_sid}'")
    assert [row[:2] for row in stored] == [("+442079460777", "open")]
    assert str(stored[0][2]).startswith("2026-11-25 09:00")  # asked at 21:30: an hour after the team opens
    no_thanks, _ = into_the_cis(closed_stack)
    no_thanks.say("I want to speak to a person.")
    assert "Goodbye" in heard(no_thanks.silence()) and no_thanks.ended
    assert closed_stack.rows(f"SELECT id FROM callback_requests WHERE call_sid = '{no_thanks.call_sid}'") == []
    other_key = closed_stack.call()
    other_key.dial_in()
    assert "can't put you through to the team just now" in heard(other_key.press("5"))
    assert other_key.dialled == [] and other_key.ended
