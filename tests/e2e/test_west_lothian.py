"""A second line from its service file alone: West Lothian's Reablement and 24/7 Crisis Care
(data/services/west-lothian.yml), with the same trained model, at three in the morning.

A shorter set than the CIS line's: a crisis-care referral by chat and by telephone, each stored with no
out-of-hours notice, a patient outside West Lothian, and a social worker registered with the SSSC."""
from .test_chat_referrals import conversation, referral_for
from .test_voice_calls import heard, referral, typed

OUT_OF_HOURS = ("pick it up from", "available from", "closed")
PATIENT_CHI = "1402461232"  # born 14 February 1946


def test_a_gp_refers_to_crisis_care_by_chat_at_3am_with_no_out_of_hours_notice(west_lothian):
    sender, replies = conversation(west_lothian, [
        "hello",
        "I'm a GP",
        "7234561",
        "482913",
        "24/7 crisis care please",
        "Margaret Reid",
        "14/02/1946",
        "140 246 1232",
        "5 Almond Road",
        "EH54 6FF",
        "07712 345678",
        "yes she lives alone",
        "yes she agreed",
        "at home",
        "her husband who cares for her has been admitted to hospital tonight",
        "getting out of bed and taking her medication",
        "stay at home",
        "falls",
        "no",
        "urgent, today",
        "yes that's right",
    ])
    said = " ".join(" ".join(r) for r in replies)
    assert "West Lothian" in " ".join(replies[0])
    assert not any(words in said for words in OUT_OF_HOURS), said
    assert "CHI number" in " ".join(replies[6])
    stored = referral_for(west_lothian, sender)
    assert stored["reference"] in " ".join(replies[-1])
    assert stored["service"] == "crisis_care" and stored["channel"] == "chat"
    assert stored["out_of_hours"] is False and stored["received_at"].startswith("2026-11-25T03:00")
    assert stored["referrer"]["name"] == "Dr Fiona Grant"
    assert stored["patient"]["nhs_number"] == PATIENT_CHI  # the API's field holds the file's identifier
    assert stored["patient"]["date_of_birth"] == "1946-02-14" and stored["patient"]["postcode"] == "EH54 6FF"
    assert stored["borough"] == {"code": "S12000040", "name": "West Lothian"}
    assert stored["routing"]["contacts"] == [{"name": "West Lothian Council Social Policy", "phone": None}]
    assert stored["urgency"] == "urgent" and stored["setting"] == "home"


def test_a_gp_refers_to_crisis_care_by_telephone_at_3am(west_lothian):
    call = west_lothian.call()
    menu = heard(call.dial_in())
    assert "press 1" in menu and not any(words in menu for words in OUT_OF_HOURS)
    opening = heard(call.press("1"))
    assert "health or social care professional" in opening and not any(w in opening for w in OUT_OF_HOURS)
    assert "GMC number" in heard(call.say("I'm a GP."))
    typed(call, "7234561")
    assert "Dr Fiona Grant" in heard(call.press("482913"))
    assert "full name" in heard(call.say("Crisis care, please."))
    assert "date of birth" in heard(call.say("Margaret Reid"))
    assert "CHI number" in typed(call, "14021946")
    assert "address" in typed(call, PATIENT_CHI)
    call.say("5 Almond Road")
    assert "phone" in heard(call.say("E H 5 4 6 F F"))
    typed(call, "07712345678")
    for answer in ["Yes, she lives alone.", "Yes, she's agreed.", "She's at home.",
                   "Her husband who cares for her was admitted to hospital tonight.",
                   "Getting out of bed and her medication.", "To stay at home.", "Falls.", "No."]:
        call.say(answer)
    summary = heard(call.say("Today, please."))
    assert "1 4 0 2 4 6 1 2 3 2" in summary
    done = heard(call.say("Yes, that's all correct."))
    stored = referral(west_lothian, call)
    assert stored["reference"] in done.replace(" ", "") or stored["reference"] in done
    assert stored["service"] == "crisis_care" and stored["channel"] == "voice"
    assert stored["out_of_hours"] is False
    assert stored["patient"]["nhs_number"] == PATIENT_CHI
    assert stored["borough"]["code"] == "S12000040"


def test_a_patient_outside_west_lothian_is_not_taken(west_lothian):
    sender, replies = conversation(west_lothian, [
        "hi", "I'm a GP", "7234561", "482913", "reablement please", "John Smith", "2/1/1950", "don't know",
        "14 Elgin Crescent", "W11 1AB", "yes it is",
    ])
    assert "West Lothian" in " ".join(replies[-2]) and "Kensington and Chelsea" in " ".join(replies[-1])
    assert west_lothian.rows(f"SELECT count(*) FROM referrals WHERE conversation_id = '{sender}'")[0][0] == 0
    assert west_lothian.rows(f"SELECT reason, borough_code FROM declined_contacts "
                             f"WHERE conversation_id = '{sender}'") == [("out_of_area", "E09000020")]


def test_a_social_worker_registered_with_the_sssc_may_refer_to_reablement_not_crisis_care(west_lothian):
    sender, replies = conversation(west_lothian, [
        "hello", "social worker", "1234567", "482913",
        "crisis care",           # not open to a social worker: a specific re-ask
        "reablement then",
    ])
    assert "SSSC" in " ".join(replies[1]) or "Scottish Social Services Council" in " ".join(replies[1])
    assert "Craig Paterson" in " ".join(replies[3])
    assert "Reablement" in " ".join(replies[4])
    assert "full name" in " ".join(replies[5])
