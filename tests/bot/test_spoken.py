"""Numbers, dates and postcodes said on the telephone, as the recogniser writes them: each is read as the value
the caller meant by the one place that takes that value from an answer; free text is left as said."""
import asyncio
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rasa_sdk.executor import CollectingDispatcher

from actions.clinical import ValidateClinicalForm
from actions.parsing import address_and_postcode, code_candidates, digits_in, parse_date, phone_in, postcode_in
from actions.patient import ValidatePatientForm
from referral_rules import validation
from referral_rules.spoken import normalised, spelt_together
from tests.bot.trackers import tracker
from tests.voice.transcripts import (DATES_OF_BIRTH, DISCHARGE_DATES, FREE_TEXT, PATIENT_IDENTIFIERS, PHONE_NUMBERS,
                                     POSTCODES, REGISTRATION_NUMBERS)

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize("said,body,number", REGISTRATION_NUMBERS)
def test_registration_numbers_said_aloud(said, body, number):
    found = set()
    for candidate in code_candidates(said):
        try:
            found.add(validation.registration_number(body, candidate))
        except validation.Invalid:
            pass
    assert found == {number}


@pytest.mark.parametrize("said,digits", PATIENT_IDENTIFIERS)
def test_nhs_and_chi_numbers_said_aloud(said, digits):
    assert digits_in(said) == digits
    scheme = "chi_number" if digits in ("1205382623", "2309412716") else "nhs_number"
    assert validation.patient_identifier(digits_in(said), scheme) == digits


@pytest.mark.parametrize("said,iso", DATES_OF_BIRTH)
def test_dates_of_birth_said_aloud(said, iso):
    assert parse_date(said, TODAY) == date.fromisoformat(iso)


@pytest.mark.parametrize("said,iso", DISCHARGE_DATES)
def test_discharge_dates_said_aloud(said, iso):
    assert parse_date(said, TODAY, past=False) == date.fromisoformat(iso)


@pytest.mark.parametrize("said", ["nineteen forty one", "march nineteen forty one", "the seventh"])
def test_a_date_said_with_a_part_missing_is_not_guessed(said):
    assert parse_date(said, TODAY) is None


@pytest.mark.parametrize("said,dialled", PHONE_NUMBERS)
def test_phone_numbers_said_aloud(said, dialled):
    assert validation.uk_phone(phone_in(said)) == dialled


@pytest.mark.parametrize("said,postcode", POSTCODES)
def test_postcodes_spelt_out(said, postcode):
    assert validation.postcode(postcode_in(said)) == postcode


@pytest.mark.parametrize("said,first_line,postcode", [
    ("twelve porchester square, w two four r j", "twelve porchester square", "W2 4RJ"),
    ("Flat 3, 12 Porchester Square, London, w two four r j", "Flat 3, 12 Porchester Square", "W2 4RJ"),
    ("fourteen Elgin Crescent w eleven three l p", "fourteen Elgin Crescent", "W11 3LP"),
    ("twelve porchester square", "twelve porchester square", None)])
def test_an_address_said_with_its_postcode_keeps_the_first_line_as_said(said, first_line, postcode):
    line, found = address_and_postcode(said)
    assert line == first_line and (found and validation.postcode(found)) == postcode


@pytest.mark.parametrize("said,written", [
    ("double four", "4 4"), ("triple seven", "7 7 7"), ("oh seven", "0 7"), ("nought seven", "0 7"),
    ("four oh four", "4 0 4"), ("double oh seven", "0 0 7"), ("nineteen oh five", "1905"),
    ("the third of may nineteen thirty eight", "the 3rd of may 1938"), ("s w one x one a a", "s w 1 x 1 a a")])
def test_what_the_library_leaves_is_written_as_digits(said, written):
    assert normalised(said) == written


def test_characters_said_one_at_a_time_are_written_together_and_words_stay_apart():
    assert spelt_together("s w 1 x, 1 a a") == "sw1x1aa"
    assert spelt_together("it's w 2 4 r j thanks") == "it's w24rj thanks"


@pytest.mark.parametrize("said", FREE_TEXT)
def test_free_text_is_left_as_said(said):
    assert normalised(said) == said
    assert postcode_in(said) == said and address_and_postcode(said)[0] == said


@pytest.mark.parametrize("said", ["she has one daughter", "a fall at home three weeks ago"])
def test_free_text_is_not_taken_as_a_number(said):
    with pytest.raises(validation.Invalid):
        validation.uk_phone(phone_in(said))
    assert parse_date(said, TODAY) is None


@pytest.mark.parametrize("form,slot,said", [
    (ValidatePatientForm, "patient_address", "Flat three, twelve Porchester Square"),
    (ValidateClinicalForm, "reason", "she had a fall three weeks ago and has one daughter nearby")])
def test_the_first_line_of_an_address_and_the_reason_are_stored_as_said(form, slot, said):
    checked = asyncio.run(form().checked(slot, said, CollectingDispatcher(), tracker(said), {}))
    assert checked[slot] == said


@settings(max_examples=300, deadline=None)
@given(said=st.text() | st.lists(st.sampled_from(["oh", "o", "double", "triple", "nought", "zero", "one", "first",
                                                  "nineteen", "twenty", "a", "s", "w", "7", "19", ",", "march",
                                                  "hundred", "billion", "-", "'", "٧"])).map(" ".join))
def test_the_normaliser_never_raises(said):
    assert isinstance(normalised(said), str) and isinstance(spelt_together(normalised(said)), str)
