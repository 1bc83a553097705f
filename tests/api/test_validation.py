"""The shared validation rules, as both the API and the action server use them."""
from datetime import date

import pytest

from referral_rules import validation
from referral_rules.validation import Invalid

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize("raw", ["9434765919", "943 476 5919", "943-476-5919", " 9434765919 "])
def test_nhs_number_accepts_the_ways_people_write_it(raw):
    assert validation.nhs_number(raw) == "9434765919"


def test_nhs_number_that_fails_modulus_11_gets_a_specific_message():
    with pytest.raises(Invalid) as caught:
        validation.nhs_number("9434765918")
    assert "doesn't add up" in caught.value.message


@pytest.mark.parametrize("raw", ["943476591", "94347659190", "94347A5919", ""])
def test_nhs_number_of_the_wrong_length_asks_for_ten_digits(raw):
    with pytest.raises(Invalid) as caught:
        validation.nhs_number(raw)
    assert "10 digits" in caught.value.message


@pytest.mark.parametrize("raw,e164", [
    ("07712 345678", "+447712345678"), ("020 7946 0321", "+442079460321"),
    ("+44 20 7946 0321", "+442079460321"), ("(020) 7361 3013", "+442073613013"),
])
def test_uk_phone_numbers_become_e164(raw, e164):
    assert validation.uk_phone(raw) == e164


@pytest.mark.parametrize("raw", ["12345", "not a number", "+1 212 555 0123", "07911 12345"])
def test_non_uk_or_broken_phone_numbers_are_refused(raw):
    with pytest.raises(Invalid):
        validation.uk_phone(raw)


@pytest.mark.parametrize("raw,normal", [("w24rj", "W2 4RJ"), ("SW1X 0BH", "SW1X 0BH"), ("sw1x0bh", "SW1X 0BH"),
                                        ("W10  5AA", "W10 5AA")])
def test_postcodes_are_normalised(raw, normal):
    assert validation.postcode(raw) == normal


@pytest.mark.parametrize("raw", ["W2", "SW1X", "W2 4R", "12345", "WW2 4RJX"])
def test_partial_or_malformed_postcodes_are_refused(raw):
    with pytest.raises(Invalid) as caught:
        validation.postcode(raw)
    assert caught.value.code == "invalid_postcode"


def test_well_formed_postcode_missing_from_the_ons_directory_is_unknown():
    with pytest.raises(Invalid) as caught:
        validation.known_postcode("W2 9ZZ")
    assert caught.value.code == "unknown_postcode"


@pytest.mark.parametrize("body,raw,normal", [
    ("GMC", "7123456", "7123456"), ("nmc", "12a3456e", "12A3456E"), ("HCPC", "ot 12345", "OT12345"),
    ("HCPC", "PH123456", "PH123456"), ("gphc", "2071234", "2071234"), ("SWE", "sw123456", "SW123456"),
])
def test_registration_numbers_in_each_bodys_format(body, raw, normal):
    assert validation.registration_number(body, raw) == normal


@pytest.mark.parametrize("body,raw", [("GMC", "712345"), ("NMC", "1234567"), ("HCPC", "12345"),
                                      ("GPhC", "GP12345"), ("SWE", "123456")])
def test_registration_numbers_in_the_wrong_format_are_refused(body, raw):
    with pytest.raises(Invalid) as caught:
        validation.registration_number(body, raw)
    assert caught.value.code == "invalid_registration_number"


def test_unknown_registration_body_is_refused():
    with pytest.raises(Invalid) as caught:
        validation.registration_body("BMA")
    assert "GMC" in caught.value.message


def test_dates_of_birth_must_be_real_past_and_plausible():
    assert validation.date_of_birth("1941-03-07", TODAY) == date(1941, 3, 7)
    for bad, words in (("1941-02-30", "isn't a date"), ("2027-01-01", "future"), ("1890-01-01", "would make them")):
        with pytest.raises(Invalid) as caught:
            validation.date_of_birth(bad, TODAY)
        assert words in caught.value.message


def test_validation_module_needs_neither_flask_nor_sqlalchemy():
    import subprocess
    import sys

    code = ("import sys, referral_rules.validation, referral_rules.service_definition, referral_rules.clock;"
            "bad=[m for m in ('flask','sqlalchemy') if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0


# Python reads other scripts' digits as numbers ("٩".isdigit(), int("٩٤")); the NHS, Ofcom and the
# registration bodies do not.
@pytest.mark.parametrize("check,raw", [
    (validation.nhs_number, "٩٤٣٤٧٦٥٩١٩"),          # 9434765919, which passes Modulus 11, in Arabic-Indic digits
    (validation.nhs_number, "９４３４７６５９１９"),   # full-width
    (validation.uk_phone, "٠٧٧١٢ ٣٤٥٦٧٨"),
    (lambda raw: validation.registration_number("GMC", raw), "٧١٢٣٤٥٦"),
    (lambda raw: validation.registration_number("NMC", raw), "١٢A٣٤٥٦E"),
    (lambda raw: validation.date_of_birth(raw, TODAY), "١٩٤١-٠٣-٠٧"),
])
def test_digits_of_other_scripts_are_refused(check, raw):
    with pytest.raises(Invalid):
        check(raw)


# CHI numbers (Scotland): 10 digits, the first six the date of birth (DDMMYY), the NHS number's Modulus 11 check.
@pytest.mark.parametrize("raw", ["1205382623", "120 538 2623", "120538-2623"])
def test_a_chi_number_starting_with_a_real_date_and_adding_up_is_accepted(raw):
    assert validation.chi_number(raw) == "1205382623"
    assert validation.patient_identifier(raw, "chi_number") == "1205382623"


@pytest.mark.parametrize("raw,words", [
    ("1205382624", "doesn't add up"),              # the last digit is not its check digit
    ("3102382622", "real date of birth"),          # 31 February 1938: its check digit is right
    ("9434765919", "isn't a CHI number"),          # a valid NHS number from England's range
    ("120538262", "10 digits"),
    ("١٢٠٥٣٨٢٦٢٣", "10 digits"),                   # 1205382623 in Arabic-Indic digits
])
def test_a_chi_number_that_is_not_one_is_refused_naming_the_chi_number(raw, words):
    with pytest.raises(Invalid) as caught:
        validation.patient_identifier(raw, "chi_number")
    assert words in caught.value.message and "CHI number" in caught.value.message
    assert caught.value.field == "nhs_number"  # the API's field for the patient identifier, whatever its scheme


def test_a_leap_day_chi_number_counts_if_either_century_had_one():
    check = validation.nhs.calculate_checksum("290200262")  # 29 February 2000 (1900 was not a leap year)
    assert validation.chi_number(f"290200262{check}") == f"290200262{check}"


def test_the_nhs_scheme_is_the_nhs_number_rule():
    assert validation.patient_identifier("943 476 5919", "nhs_number") == "9434765919"
    with pytest.raises(Invalid, match="NHS number doesn't add up"):
        validation.patient_identifier("9434765918", "nhs_number")


def test_sssc_registration_numbers_are_accepted_in_a_plausible_format():
    assert validation.registration_body("sssc") == "SSSC"
    assert validation.registration_number("SSSC", "123 4567") == "1234567"
    for bad in ("123", "SW123456", "123456789"):
        with pytest.raises(Invalid):
            validation.registration_number("SSSC", bad)


def test_registration_bodies_can_be_limited_to_a_services_own():
    assert validation.registration_body("gmc", ("GMC", "SSSC")) == "GMC"
    with pytest.raises(Invalid) as caught:
        validation.registration_body("SWE", ("GMC", "SSSC"))
    assert caught.value.message == "The registration body must be one of GMC, SSSC."
