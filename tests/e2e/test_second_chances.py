"""Second chances, through the real processes, then what the case store holds: a returning client referring
themself is asked about "you" and for their name once; a postcode outside the area is named and checked
with the caller, and a corrected one carries on with everything already given. By chat and by telephone."""
from .test_chat_referrals import conversation, declined, referral_for, referrals_of
from .test_voice_calls import declined as declined_call
from .test_voice_calls import gp_signs_in, heard, into_the_cis, referral, typed

CAMDEN = "NW1 2AA is in Camden, which is outside the area we cover (Kensington and Chelsea and Westminster)."


def test_a_returning_client_refers_themself_and_is_asked_about_you_once(stack):
    sender, replies = conversation(stack, [
        "hello, I'd like to refer myself",
        "yes, you helped me after my fall last year",
        "943 476 5919",
        "7 March 1941",
        "Edith Clarke",
        "07712 345678",
        "yes please",
        "12 Porchester Square",
        "W2 4RJ",
        "yes I do",
        "at home",
        "I had a fall last month and I'm unsteady on my feet",
        "walking and getting dressed",
        "walk to the shops again",
        "falls",
        "no",
        "in the next few days",
        "yes that's all correct",
    ])
    said = [" ".join(reply) for reply in replies]
    assert "supported you before?" in said[0]
    assert "What is your NHS number?" in said[1]
    assert "And when were you born?" in said[2]
    assert "found your record" in said[3] and "What is your name?" in said[3]
    assert "What is the first line of your address?" in said[6]
    assert "Do you live alone?" in said[8]
    about_the_person = " ".join(said[:9])  # up to the clinical questions (actions/clinical.py's own)
    assert "patient" not in about_the_person and "their" not in about_the_person
    assert sum("name?" in turn for turn in said) == 1      # the name asked once
    assert not any("agreed" in turn or "best interests" in turn for turn in said)  # consent: given by referring
    stored = referral_for(stack, sender)
    assert stored["referrer"]["kind"] == "returning_client" and stored["referrer"]["relationship"] == "self"
    assert stored["referrer"]["name"] == "Edith Clarke" and stored["referrer"]["phone"] == "+447712345678"
    assert stored["patient"]["given_name"] == "Edith" and stored["patient"]["family_name"] == "Clarke"
    assert stored["patient"]["phone"] == "+447712345678" and stored["patient"]["lives_alone"] is True
    assert stored["consent"] == "given"
    assert stored["service"] == "rehab_reablement" and stored["urgency"] == "soon"


GP_UP_TO_THE_POSTCODE = ["I'm a GP", "7123456", "482913", "rapid response", "Edith Clarke", "07/03/1941",
                         "9434765919", "Flat 3, 12 Porchester Square"]


def test_a_gp_corrects_a_postcode_outside_the_area_and_the_referral_carries_on(stack):
    sender, replies = conversation(stack, [
        *GP_UP_TO_THE_POSTCODE, "NW1 2AA", "oh sorry, no, it's W2 4RJ", "07712 345678", "yes", "yes",
        "at home", "fall at home, now unsteady", "walking", "walk to the shops", "falls", "no", "today",
        "yes that's all correct"])
    asked = " ".join(replies[8])
    assert CAMDEN in asked and "Is that the right postcode?" in asked
    assert "phone number" in " ".join(replies[9])            # on from where it was
    stored = referral_for(stack, sender)
    assert stored["patient"] == {"given_name": "Edith", "family_name": "Clarke", "date_of_birth": "1941-03-07",
                                 "nhs_number": "9434765919", "address_line": "Flat 3, 12 Porchester Square",
                                 "postcode": "W2 4RJ", "phone": "+447712345678", "lives_alone": True}
    assert stored["borough"] == {"code": "E09000033", "name": "Westminster"}
    assert stored["referrer"]["name"] == "Dr Asha Patel" and stored["service"] == "rapid_response"
    assert declined(stack, sender) == []


def test_a_gp_who_confirms_a_postcode_outside_the_area_is_told_where_to_turn(stack):
    sender, replies = conversation(stack, [*GP_UP_TO_THE_POSTCODE, "NW1 2AA", "yes, that's the right one",
                                           "ok, thank you"])
    assert replies[-1] == ["You're welcome."]                 # the assistant waited after turning them away
    ended = " ".join(replies[-2])
    assert "NW1 2AA is in Camden" in ended and "please contact Camden's adult social care team" in ended
    assert "Is that the right postcode?" not in ended
    assert referrals_of(stack, sender) == []
    assert declined(stack, sender) == [("out_of_area", "chat", "E09000007")]


def test_by_telephone_a_postcode_outside_the_area_is_said_and_corrected(stack):
    call = gp_signs_in(stack)
    call.say("Rapid response, please.")
    call.say("Edith Clarke")
    typed(call, "07031941")
    typed(call, "9434765919")
    call.say("Flat 3, 12 Porchester Square")
    asked = heard(call.say("NW1 2AA"))
    assert "is in Camden, which is outside the area we cover" in asked and "Is that the right postcode?" in asked
    assert "phone" in heard(call.say("No, sorry, it's W2 4RJ."))
    typed(call, "07712345678")
    for answer in ["Yes, she lives alone.", "Yes, she's agreed.", "She's at home.", "A fall at home last week.",
                   "Walking.", "Walk to the local shops.", "Falls.", "No.", "Today, please."]:
        call.say(answer)
    heard(call.say("Yes, that's all correct."))
    stored = referral(stack, call)
    assert stored["patient"]["postcode"] == "W2 4RJ" and stored["patient"]["date_of_birth"] == "1941-03-07"
    assert stored["patient"]["address_line"] == "Flat 3, 12 Porchester Square"
    assert stored["channel"] == "voice" and stored["borough"]["name"] == "Westminster"
    call.hang_up()
    assert declined_call(stack, call) == []


def test_by_telephone_a_returning_client_refers_themself_in_the_first_person(stack):
    call, _ = into_the_cis(stack)
    assert "supported you before?" in heard(call.say("I'd like to refer myself."))
    assert "What is your NHS number?" in heard(call.say("Yes, you helped me last year."))
    assert "And when were you born?" in typed(call, "4010232137")
    assert "What is your name?" in typed(call, "02111936")
    assert "reach you on" in heard(call.say("Arthur Nolan"))
    typed(call, "07912345678")
    assert "your address" in heard(call.say("Yes, please."))
    call.say("27 Hereford Road")
    assert "Do you live alone?" in heard(call.say("W2 4AB"))
    for answer in ["No, I live with my wife.", "At home.", "I keep falling.", "The stairs.", "Get upstairs to bed.",
                   "Falls.", "No.", "Routine."]:
        assert "agreed" not in heard(call.say(answer))
    heard(call.say("Yes, that's all correct."))
    stored = referral(stack, call)
    assert stored["referrer"]["relationship"] == "self" and stored["referrer"]["name"] == "Arthur Nolan"
    assert stored["patient"]["given_name"] == "Arthur" and stored["patient"]["phone"] == "+447912345678"
    assert stored["consent"] == "given" and stored["channel"] == "voice"
    call.hang_up()
