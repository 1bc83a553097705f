"""Whole referrals through the REST channel, as a person would type them, then what the case store holds."""

NOT_UNDERSTOOD = "Sorry, I didn't understand that."


def conversation(stack, turns: list[str]) -> tuple[str, list[list[str]]]:
    """The conversation's id in the case store, and each turn's replies; every turn of these scripts is one
    the assistant must understand."""
    sender, conversation_id = stack.new_chat()
    replies = [stack.say(sender, message) for message in turns]
    misunderstood = [(turn, reply) for turn, reply in zip(turns, replies) if NOT_UNDERSTOOD in " ".join(reply)]
    assert not misunderstood, misunderstood
    return conversation_id, replies


def referral_for(stack, sender: str) -> dict:
    listed = stack.staff_get("/api/referrals")["referrals"]
    matching = [r for r in listed if r["conversation_id"] == sender]
    assert len(matching) == 1, f"expected one referral for {sender}, found {len(matching)}"
    return stack.staff_get(f"/api/referrals/{matching[0]['id']}")


def test_a_gp_refers_a_patient_in_hospital_to_rapid_response(stack):
    sender, replies = conversation(stack, [
        "hi",
        "I'm a GP",
        "7123456",
        "482913",
        "rapid response please",
        "Mrs Edith Clarke",
        "7th March 1941",
        "943 476 5919",
        "Flat 3, 12 Porchester Square",
        "w2 4rj",
        "07712 345678",
        "yes she lives alone",
        "yes she's agreed",
        "she's on the ward at St Mary's",
        "27/11/2026",
        "fall at home last week, now unsteady on her feet",
        "mobility, washing and dressing",
        "walk to the local shops",
        "falls and lives alone",
        "no",
        "today please",
        "yes that's all correct",
    ])
    assert "GMC number" in " ".join(replies[1])
    assert "Dr Asha Patel" in " ".join(replies[3])
    final = " ".join(replies[-1])
    stored = referral_for(stack, sender)
    assert stored["reference"] in final
    assert stored["service"] == "rapid_response" and stored["channel"] == "chat" and stored["status"] == "new"
    assert stored["referrer"]["name"] == "Dr Asha Patel"
    assert stored["referrer"]["registration"] == {"body": "GMC", "number": "7123456"}
    assert stored["patient"] == {"given_name": "Edith", "family_name": "Clarke", "date_of_birth": "1941-03-07",
                                 "nhs_number": "9434765919", "address_line": "Flat 3, 12 Porchester Square",
                                 "postcode": "W2 4RJ", "phone": "+447712345678", "lives_alone": True}
    assert stored["borough"] == {"code": "E09000033", "name": "Westminster"}
    assert stored["consent"] == "given"
    assert stored["setting"] == "hospital" and stored["expected_discharge_date"] == "2026-11-27"
    assert stored["reason"] == "fall at home last week, now unsteady on her feet"
    assert stored["difficulties"] == ["mobility", "washing", "dressing"]
    assert stored["goals"] == ["walk to the local shops"]
    assert stored["risks"] == ["falls", "lives alone"]
    assert stored["mental_health_crisis"] is False
    assert stored["urgency"] == "urgent"
    assert stored["out_of_hours"] is False


def test_a_social_worker_refers_to_reablement_and_is_not_offered_rapid_response(stack):
    sender, replies = conversation(stack, [
        "hello",
        "social worker with Westminster council",
        "SW123456",
        "482913",
        "rapid response",         # not open to a social worker: a specific re-ask
        "yes please",             # the one service they can refer to
        "John Smith",
        "2/1/1950",
        "don't know",             # a professional may not have the NHS number
        "14 Elgin Crescent",
        "W11 3LP",
        "020 7946 0321",
        "no, he lives with his wife",
        "yes",
        "at home",
        "struggling since his stroke in the summer",
        "washing and preparing food",
        "make a cup of tea on his own",
        "none",
        "no",
        "routine",
        "looks good, send it",    # the classifier hears a stop in "send it" (it learnt "don't send it")
    ])
    assert "Rehabilitation and Reablement" in " ".join(replies[3])
    assert "have to come from a health care professional" in " ".join(replies[4])
    stored = referral_for(stack, sender)
    assert stored["service"] == "rehab_reablement"
    assert stored["referrer"]["profession"] == "social_worker"
    assert stored["patient"]["nhs_number"] is None
    assert stored["patient"]["lives_alone"] is False
    assert stored["borough"] == {"code": "E09000020", "name": "Kensington and Chelsea"}
    assert stored["routing"]["contacts"][0]["phone"] == "020 7361 3013"
    assert stored["setting"] == "home" and stored["expected_discharge_date"] is None
    assert stored["risks"] == [] and stored["urgency"] == "routine"


def test_a_relative_refers_a_returning_client_to_reablement(stack):
    sender, replies = conversation(stack, [
        "hi, I'm calling about my dad",
        "yes, they came out to him last winter",
        "401 023 2137",
        "02/11/1936",
        "June Nolan",                        # (a daughter: "about my dad" said so, not asked again)
        "07912 345678",
        "yes",
        "Arthur Nolan",
        "27 Hereford Road, London W2 4AB",   # the postcode with the address: not asked for again
        "020 7946 0456",
        "yes",
        "yes",
        "at home",
        "keeps falling and can't manage the stairs",
        "stairs and getting out of the bath",
        "get upstairs to bed",
        "falls",
        "no",
        "in the next few days",
        "that's right",
    ])
    stored = referral_for(stack, sender)
    assert stored["referrer"]["kind"] == "returning_client"
    assert stored["referrer"]["name"] == "June Nolan" and stored["referrer"]["relationship"] == "family"
    assert stored["referrer"]["phone"] == "+447912345678"
    assert stored["service"] == "rehab_reablement"
    assert stored["patient"]["nhs_number"] == "4010232137" and stored["patient"]["date_of_birth"] == "1936-11-02"
    assert stored["patient"]["address_line"] == "27 Hereford Road" and stored["patient"]["postcode"] == "W2 4AB"
    assert stored["urgency"] == "soon"


def declined(stack, sender: str) -> list:
    return stack.rows(f"SELECT reason, channel, borough_code FROM declined_contacts WHERE conversation_id = '{sender}'")


def referrals_of(stack, sender: str) -> list:
    return stack.rows(f"SELECT id FROM referrals WHERE conversation_id = '{sender}'")


def test_a_member_of_the_public_for_someone_never_supported_is_refused_kindly(stack):
    sender, replies = conversation(stack, ["hello", "it's about my mum", "no, never", "ok, thank you"])
    assert replies[-1] == ["You're welcome."]  # the assistant waited for them after the refusal
    replies = replies[:-1]
    refusal = " ".join(replies[-1])
    assert "GP" in refusal and "020 7361 3013" in refusal and "020 7641 2500" in refusal
    assert declined(stack, sender) == [("public_not_returning_client", "chat", None)]
    assert referrals_of(stack, sender) == []


def test_a_patient_outside_the_area_is_turned_away_and_counted(stack):
    sender, replies = conversation(stack, [
        "I'm a nurse", "12A3456E", "482913", "rapid response", "Ada Lovelace", "10/12/1940", "don't know",
        "96 Euston Road", "NW1 2DB", "yes, that's right"])
    assert "outside the area" in " ".join(replies[-2]) and "Camden" in " ".join(replies[-1])
    assert declined(stack, sender) == [("out_of_area", "chat", "E09000007")]
    assert referrals_of(stack, sender) == []


def test_stop_is_checked_once_then_submits_nothing(stack):
    sender, replies = conversation(stack, ["I'm a GP", "7123456", "482913", "rapid response", "Edith Clarke",
                                           "stop, I'll call back later", "stop"])
    assert "Do you want to stop this referral?" in " ".join(replies[-2])
    assert "date of birth" in " ".join(replies[-2])  # or carry on where they were
    assert "Nothing has been sent" in " ".join(replies[-1])
    assert referrals_of(stack, sender) == []


def test_a_correction_at_the_read_back_is_never_taken_for_stop(stack):
    sender, replies = conversation(stack, [
        "I'm a GP", "7123456", "482913", "rapid response", "Edith Clarke", "07/03/1941", "9434765919",
        "12 Porchester Square", "W2 4RJ", "07712 345678", "yes", "yes", "at home", "fall, now unsteady", "walking",
        "walk to the shops", "falls", "no", "within 2 hours",
        "no, change the phone number", "020 7946 0321", "yes"])
    assert "phone number" in " ".join(replies[-3])
    stored = referral_for(stack, sender)
    assert stored["patient"]["phone"] == "+442079460321" and stored["urgency"] == "urgent"


def test_wrong_pins_lock_the_registration_and_offer_the_staffed_line(stack):
    sender, replies = conversation(stack, ["I'm a pharmacist", "2071234", "111111", "2071234", "222222",
                                           "2071234", "333333"])
    assert "couldn't verify" in " ".join(replies[2])
    assert "locked for 15 minutes" in " ".join(replies[-1]) and "0300 033 0333" in " ".join(replies[-1])


def test_a_single_field_is_corrected_at_the_read_back(stack):
    sender, replies = conversation(stack, [
        "I'm a GP", "7654321", "482913", "reablement", "Edith Clarke", "07031941", "9434765919",
        "12 Porchester Square", "W2 4RJ", "07712 345678", "yes", "yes", "at home", "frailty after a chest infection",
        "washing", "get into the bath", "falls", "no", "routine",
        "actually the postcode is SW1X 0BH",
        "yes that's correct"])
    assert "SW1X 0BH" in " ".join(replies[-2]) and "Kensington and Chelsea" not in " ".join(replies[-3])
    stored = referral_for(stack, sender)
    assert stored["patient"]["postcode"] == "SW1X 0BH"
    assert stored["borough"]["name"] == "Kensington and Chelsea"


PATIENT_UP_TO_CONSENT = ["Edith Clarke", "07/03/1941", "9434765919", "12 Porchester Square", "W2 4RJ", "07712 345678",
                         "yes"]


def test_a_best_interests_decision_stands_in_for_consent(stack):
    sender, replies = conversation(stack, [
        "paramedic here", "PA12345", "482913", "rapid response", *PATIENT_UP_TO_CONSENT,
        "no, she doesn't have capacity to agree",
        "yes, it's a best interests decision",
        "at home", "confused and not eating", "preparing food, medication", "eat regular meals", "lives alone",
        "no", "today", "yes"])
    assert "best interests" in " ".join(replies[11])  # asked after "no" to consent
    stored = referral_for(stack, sender)
    assert stored["consent"] == "best_interests"
    assert stored["referrer"]["profession"] == "paramedic"


def test_without_consent_or_best_interests_nothing_is_taken(stack):
    sender, replies = conversation(stack, ["I'm an OT", "OT12345", "482913", "reablement", *PATIENT_UP_TO_CONSENT,
                                           "no", "no"])
    assert "without the patient's consent" in " ".join(replies[-1])
    assert referrals_of(stack, sender) == []
    assert declined(stack, sender) == [("no_consent", "chat", "E09000033")]


def test_speak_to_a_person_gives_the_line_and_the_referral_carries_on(stack):
    sender, replies = conversation(stack, ["I'm a GP", "7123456", "482913", "rapid response",
                                           "can I speak to a real person please", "Edith Clarke"])
    handoff = " ".join(replies[4])
    assert "0300 033 0333" in handoff and "08:00 to 20:00" in handoff
    assert "patient's full name" in handoff
    assert "date of birth" in " ".join(replies[5])


def test_start_again_goes_back_to_the_first_question(stack):
    sender, replies = conversation(stack, ["I'm a GP", "7123456", "start again", "I'm a nurse"])
    assert "start again" in " ".join(replies[2]).lower()
    assert "health or social care professional" in " ".join(replies[2])
    assert "NMC registration number" in " ".join(replies[3])


def test_whatever_the_first_words_the_assistant_starts_with_who_is_calling(stack):
    for first, question in [("rapid response referral please", "health or social care professional"),
                            ("zxcv", "health or social care professional"),
                            ("I'm a physio, I'd like to refer a lady", "HCPC registration number")]:
        sender, replies = conversation(stack, [first])
        assert question in " ".join(replies[0]), (first, replies[0])


def test_a_professional_who_gives_role_number_and_service_at_once_is_asked_only_for_the_pin(stack):
    sender, replies = conversation(stack, ["district nurse here, NMC 12A3456E, a Rapid Response referral please",
                                           "482913", "yes"])
    assert "6-digit referrer PIN" in " ".join(replies[0])
    assert "Thank you, Grace Mensah" in " ".join(replies[1])
    assert "You mentioned Rapid Response" in " ".join(replies[1])
    assert "patient's full name" in " ".join(replies[2])
