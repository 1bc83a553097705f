"""Numbers, dates and postcodes said aloud, written as a telephone recogniser writes them ("g m c seven one two",
"oh seven seven", "the seventh of march nineteen forty one", "w two four r j"), through the real processes:
each is read back in digits where the line reads numbers back, and the case store holds the value meant.
The PIN stays keypad only."""
from __future__ import annotations

from .test_chat_referrals import conversation, referral_for
from .test_voice_calls import heard, into_the_cis, referral, spoken


def test_a_gp_says_every_number_aloud_and_the_referral_holds_them(stack):
    call, _ = into_the_cis(stack)
    assert "GMC number" in heard(call.say("I'm a GP."))
    pin_question = spoken(call, "g m c seven one two three four five six", "G M C 7 1 2 3 4 5 6")
    assert "keypad" in pin_question and call.waiting_for == "dtmf"
    assert "Dr Asha Patel" in heard(call.press("482913"))
    assert "full name" in heard(call.say("Rapid response, please."))
    assert "date of birth" in heard(call.say("Edith Clarke"))
    assert "NHS number" in spoken(call, "the seventh of march nineteen forty one", "the 7th of march 1941")
    assert "address" in spoken(call, "nine four three, four seven six, five nine one nine", "9 4 3, 4 7 6, 5 9 1 9")
    assert "postcode" in heard(call.say("Flat three, twelve Porchester Square"))
    assert "phone" in heard(call.say("w two four r j"))
    spoken(call, "oh seven seven one two, three four five six seven eight", "0 7 7 1 2, 3 4 5 6 7 8")
    for answer in ["Yes, she lives alone.", "Yes, she's agreed.", "She's on the ward at St Mary's.",
                   "the twenty seventh of november", "A fall at home last week, now unsteady on her feet.",
                   "Mobility, washing and dressing.", "Walk to the local shops.", "Falls and lives alone.", "No."]:
        call.say(answer)
    summary = heard(call.say("Today, please."))
    assert "9 4 3 4 7 6 5 9 1 9" in summary
    done = heard(call.say("Yes, that's all correct."))
    stored = referral(stack, call)
    assert " ".join(stored["reference"]) in done
    assert stored["status"] == "new" and stored["referrer"]["registration"] == {"body": "GMC", "number": "7123456"}
    assert stored["patient"] == {"given_name": "Edith", "family_name": "Clarke", "date_of_birth": "1941-03-07",
                                 "nhs_number": "9434765919", "address_line": "Flat three, twelve Porchester Square",
                                 "postcode": "W2 4RJ", "phone": "+447712345678", "lives_alone": True}
    assert stored["setting"] == "hospital" and stored["expected_discharge_date"] == "2026-11-27"
    assert stored["reason"] == "A fall at home last week, now unsteady on her feet"   # free text as said


def test_a_daughter_says_her_dads_numbers_and_her_own_aloud(stack):
    call, _ = into_the_cis(stack)
    call.say("I'm calling about my dad.")
    call.say("Yes, they came out to him last winter.")
    spoken(call, "four oh one, oh two three, two one three seven", "4 0 1, 0 2 3, 2 1 3 7")
    spoken(call, "the second of november nineteen thirty six", "the 2nd of november 1936")
    call.say("June Nolan")
    call.say("I'm his daughter.")
    spoken(call, "oh seven nine one two, three four five six seven eight", "0 7 9 1 2, 3 4 5 6 7 8")
    for answer in ["Yes.", "Arthur Nolan", "twenty seven Hereford Road, w two four a b"]:
        call.say(answer)
    spoken(call, "oh two oh, seven nine four six, oh four five six", "0 2 0, 7 9 4 6, 0 4 5 6")
    for answer in ["Yes.", "Yes.", "At home.", "He keeps falling and can't manage the stairs.",
                   "Stairs and getting out of the bath.", "Get upstairs to bed.", "Falls.", "No.",
                   "In the next few days."]:
        call.say(answer)
    call.say("That's right.")
    stored = referral(stack, call)
    assert stored["referrer"]["kind"] == "returning_client" and stored["referrer"]["phone"] == "+447912345678"
    assert stored["patient"]["nhs_number"] == "4010232137" and stored["patient"]["date_of_birth"] == "1936-11-02"
    assert stored["patient"]["address_line"] == "twenty seven Hereford Road"
    assert stored["patient"]["postcode"] == "W2 4AB" and stored["patient"]["phone"] == "+442079460456"


def test_a_date_of_birth_typed_the_way_it_is_said_in_chat(stack):
    sender, replies = conversation(stack, [
        "I'm a GP", "7123456", "482913", "rapid response", "Edith Clarke",
        "the seventh of march nineteen forty one",
        "nine four three four seven six five nine one nine", "12 Porchester Square", "w two four r j",
        "oh seven seven one two three four five six seven eight", "yes", "yes", "she's on the ward at St Mary's",
        "the twenty seventh of november", "fall, now unsteady", "walking", "walk to the shops", "falls", "no",
        "within 2 hours", "yes"])
    assert "NHS number" in " ".join(replies[5])          # the date was taken: the next question
    stored = referral_for(stack, sender)
    assert stored["patient"]["date_of_birth"] == "1941-03-07" and stored["patient"]["nhs_number"] == "9434765919"
    assert stored["patient"]["postcode"] == "W2 4RJ" and stored["patient"]["phone"] == "+447712345678"
    assert stored["expected_discharge_date"] == "2026-11-27"
