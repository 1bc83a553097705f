"""How the actions read what callers type: dates, names, lists, choices."""
from datetime import date

import pytest

from actions.clinical import SETTINGS, URGENCY
from actions.decision import yes_or_no
from actions.parsing import address_and_postcode, choose, consents, items, lives_alone, parse_date, person_name
from actions.summary import field_named, value_after
from tests.bot.trackers import tracker

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize("said", ["07/03/1941", "7/3/41", "7th March 1941", "7 march 41", "07031941",
                                  "1941-03-07", "born on the 7th of March 1941", "March 7th, 1941", "7.3.1941"])
def test_a_date_of_birth_written_many_ways(said):
    assert parse_date(said, TODAY) == date(1941, 3, 7)


@pytest.mark.parametrize("said", ["March 1941", "1941", "sometime in spring", "31/02/1941", ""])
def test_an_incomplete_or_impossible_date_is_not_guessed(said):
    assert parse_date(said, TODAY) is None


@pytest.mark.parametrize("said,expected", [("tomorrow", date(2026, 11, 25)), ("today", TODAY),
                                           ("friday", date(2026, 11, 27)), ("in 3 days", date(2026, 11, 27)),
                                           ("27/11", date(2026, 11, 27)), ("2nd Dec", date(2026, 12, 2))])
def test_discharge_dates_can_be_relative(said, expected):
    assert parse_date(said, TODAY, past=False) == expected


@pytest.mark.parametrize("said,name", [("Mrs Edith Clarke", ("Edith", "Clarke")),
                                       ("her name is mary o'brien", ("Mary", "O'brien")),
                                       ("John Paul McDonald", ("John Paul", "McDonald"))])
def test_names(said, name):
    assert person_name(said) == name


@pytest.mark.parametrize("said", ["Edith", "7123456", ""])
def test_a_name_needs_a_first_name_and_surname(said):
    assert person_name(said) is None


def test_a_list_keeps_in_and_out_together():
    assert items("stairs and getting in and out of bed") == ["stairs", "getting in and out of bed"]
    assert items("up and down stairs, washing and dressing") == ["up and down stairs", "washing", "dressing"]


def test_lists_and_none():
    assert items("mobility, washing and dressing") == ["mobility", "washing", "dressing"]
    assert items("none") == [] and items("No.") == []


@pytest.mark.parametrize("said,choice", [("she's on the ward at St Mary's", "hospital"), ("in a care home", "care_home"),
                                         ("at home", "home"), ("hmm", None),
                                         ("she's in St Mary's, going home on Friday", "hospital"),
                                         ("back home since Tuesday", "home"), ("home from hospital last week", "home")])
def test_where_the_patient_is(said, choice):
    assert choose(said, SETTINGS) == choice


@pytest.mark.parametrize("said,choice", [("today please", "urgent"), ("not urgent", "routine"),
                                         ("within the next couple of days", "soon")])
def test_urgency_longest_phrase_wins(said, choice):
    assert choose(said, URGENCY) == choice


@pytest.mark.parametrize("said,body,number", [("GMC 7123456", "GMC", "7123456"), ("my gmc number is 71 23 456", "GMC", "7123456"),
                                              ("NMC pin 12A3456E", "NMC", "12A3456E"), ("it's OT 12345", "HCPC", "OT12345"),
                                              ("SWE SW123456", "SWE", "SW123456")])
def test_registration_numbers_inside_a_sentence(said, body, number):
    from referral_rules import validation

    from actions.parsing import code_candidates

    found = []
    for candidate in code_candidates(said):
        try:
            found.append(validation.registration_number(body, candidate))
        except validation.Invalid:
            pass
    assert number in found


def test_numbers_inside_sentences():
    from actions.parsing import digits_in, phone_in, postcode_in

    assert digits_in("NHS number is 943 476 5919") == "9434765919"
    assert postcode_in("the postcode is w2 4ab thanks") == "w2 4ab"
    assert phone_in("call her on 07712 345678 please").replace(" ", "") == "07712345678"


@pytest.mark.parametrize("said,alone", [
    ("he lives on his own", True), ("by himself", True), ("no her husband lives with her", False),
    ("she lives with her son", False), ("not alone, her daughter is there", False), ("yes", None)])
def test_whether_the_patient_lives_alone_in_their_own_words(said, alone):
    assert lives_alone(said) is alone


@pytest.mark.parametrize("said,agreed", [
    ("he's consented", True), ("she is happy to be referred", True), ("she hasn't agreed", False),
    ("she refused", False), ("no she does not consent", False), ("yes", None), ("she can't consent", False)])
def test_consent_in_the_callers_own_words(said, agreed):
    assert consents(said) is agreed


@pytest.mark.parametrize("said", ["can you send the rapid response team?", "not sure", "Sarah"])
def test_what_is_not_a_full_name(said):
    assert person_name(said) is None


@pytest.mark.parametrize("said", ["none", "no risks", "none really", "nothing of note", "no safeguarding concerns",
                                  "not that I'm aware of", "nothing to report."])
def test_no_risks_said_many_ways_is_an_empty_list_not_a_risk(said):
    assert items(said) == []


@pytest.mark.parametrize("said,intent,answer", [
    ("no she hasn't", "deny", False), ("never", "deny", False), ("nope", "deny", False),
    ("I don't think so", "deny", False), ("that's wrong", "deny", False), ("yes please", "affirm", True),
    # the classifier has said "deny" to these: without a word that says no, they are not a no
    ("I think so", "deny", None), ("she was with you last year i think", "deny", None)])
def test_a_no_needs_a_word_that_says_no(said, intent, answer):
    assert yes_or_no(tracker(said, intent=intent), said) is answer


@pytest.mark.parametrize("said,slot,value", [
    ("actually the postcode is W2 4RJ", "patient_postcode", "W2 4RJ"),
    ("actually his phone number is 07712 345678", "patient_phone", "07712 345678"),
    ("change the mobile number to 07712 345678", "patient_phone", "07712 345678"),
    ("sorry, the postcode's now W9 1JN", "patient_postcode", "W9 1JN"),
    ("her dob should be 7th March 1941", "patient_date_of_birth", "7th March 1941"),
    ("change the postcode", "patient_postcode", None)])
def test_a_correction_at_the_read_back_in_one_sentence(said, slot, value):
    assert field_named(said) == slot
    assert value_after(said, slot) == value


@pytest.mark.parametrize("said,parts", [
    ("Flat 3, 12 Porchester Square, London W2 4RJ", ("Flat 3, 12 Porchester Square", "W2 4RJ")),
    ("27 hereford road w24ab", ("27 hereford road", "w2 4ab")),
    ("12 Porchester Square", ("12 Porchester Square", None))])
def test_an_address_given_with_its_postcode(said, parts):
    assert address_and_postcode(said) == parts


@pytest.mark.parametrize("said,today,past,expected", [
    ("29/02/24", TODAY, False, date(2024, 2, 29)),           # a year given is kept: the date has passed
    ("29/02/24", TODAY, True, date(2024, 2, 29)),
    ("29/02/28", TODAY, True, date(1928, 2, 29)),            # a two-digit year of birth is in the past
    ("29 February", date(2028, 3, 1), False, date(2028, 2, 29)),  # passed, and no 29 February in 2029
    ("29 February", date(2028, 1, 10), False, date(2028, 2, 29)),
    ("29 February", TODAY, False, None),                     # no 29 February this year
    ("31/04/2026", TODAY, False, None),
    ("in 99999999999 days", TODAY, False, None),
])
def test_leap_days_and_impossible_dates_give_a_date_or_none(said, today, past, expected):
    assert parse_date(said, today, past=past) == expected


@pytest.mark.parametrize("said", ["٠٧/٠٣/١٩٤١", "٠٧٠٣١٩٤١", "٧ March ١٩٤١", "０７/０３/１９４１"])
def test_other_scripts_digits_are_no_date(said):
    assert parse_date(said, TODAY) is None and parse_date(said, TODAY, past=False) is None


def test_only_0_to_9_are_digits():
    from actions.parsing import code_candidates, digits_in, postcode_in

    assert digits_in("٩٤٣٤٧٦٥٩١٩") == "" and digits_in("943 ٤٧٦ 5919") == "9435919"
    assert code_candidates("GMC ٧١٢٣٤٥٦") == [] and postcode_in("W٢ ٤RJ") == "W٢ ٤RJ"


@pytest.mark.parametrize("said,question", [
    ("which one is quicker?", True), ("what does reablement mean", True), ("can you explain", True),
    ("can you explain?", True), ("is it rapid response", True), ("does she need to be at home", True),
    ("Will Smith", False), ("is at home", False), ("rapid response", False), ("whenever suits", False)])
def test_what_is_a_question(said, question):
    from actions.decision import is_question

    assert is_question(said) is question


def test_a_list_is_items_that_say_something():
    assert items("😀, -, walking") == ["walking"]
    assert items(["walk to the shops", " ", "cook."]) == ["walk to the shops", "cook"]
    assert items("washing\x00 and dressing") == ["washing", "dressing"]
    assert items("- walking to the shops\n- washing") == ["walking to the shops", "washing"]
    assert items("1. walking\n2) washing\n3. cooking") == ["walking", "washing", "cooking"]
