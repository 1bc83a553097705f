"""One implementation of each validation rule, shared by the intake API and the action server.

No Flask or SQLAlchemy here: the action server runs in Rasa's environment and imports this.
Each function returns the normalised value or raises ``Invalid`` with a message that can be
said to a caller as it is.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime

import nhs_number as nhs
import phonenumbers

from . import postcodes

MAX_AGE_YEARS = 120

# What the case store holds at most (models.py's column sizes and the API's parser use these too), so that
# an answer too long for the store is caught at the question, never after the caller confirmed.
MAX_LENGTH = {
    "given_name": 100,     # each part of a patient's name
    "family_name": 100,
    "person_name": 200,    # a caller's whole name
    "address_line": 300,
    "reason": 4000,
    "list_item": 300,      # one difficulty, goal or risk
    "note": 4000,          # a staff note on a status change
}
MAX_LIST_ITEMS = 20       # difficulties, goals or risks


def within_limit(field: str, value: str) -> str:
    """The text, if the case store can hold it; else ``Invalid`` saying how long it may be."""
    limit = MAX_LENGTH[field]
    if len(value) > limit:
        raise Invalid(field, f"That's longer than I can keep ({len(value):,} characters; the most is {limit:,}). "
                             f"Please shorten it.", code="too_long")
    return value


def within_list_limits(field: str, items: list[str]) -> list[str]:
    """A list the case store can hold: at most MAX_LIST_ITEMS items, each within ``list_item``."""
    if len(items) > MAX_LIST_ITEMS:
        raise Invalid(field, f"That's {len(items)} items; I can keep up to {MAX_LIST_ITEMS}. Please give the main "
                             f"ones.", code="too_many_items")
    for item in items:
        if len(item) > MAX_LENGTH["list_item"]:
            raise Invalid(field, f"One item is longer than I can keep (the most is {MAX_LENGTH['list_item']} "
                                 f"characters). Please shorten it.", code="too_long")
    return items


class Invalid(ValueError):
    """A value that fails a rule. ``message`` is written for the person who gave it."""

    def __init__(self, field: str, message: str, code: str | None = None):
        super().__init__(message)
        self.field = field
        self.message = message
        self.code = code or f"invalid_{field}"


def _digits_only(value: str, allowed_separators: str = " -") -> str:
    text = str(value).strip()
    for sep in allowed_separators:
        text = text.replace(sep, "")
    return text


def _other_digits(text: str) -> bool:
    """Digits other than 0-9 (Arabic-Indic, full-width, superscript): Python reads them as numbers, the NHS does not."""
    return any(ch.isnumeric() and not ch.isascii() for ch in text)


def nhs_number(value) -> str:
    """A 10-digit NHS number that passes the Modulus 11 check, as 10 digits."""
    digits = _digits_only(value)
    if not re.fullmatch(r"[0-9]{10}", digits):
        raise Invalid("nhs_number", "An NHS number has 10 digits. Please check it and give all 10.")
    if not nhs.is_valid(digits):
        raise Invalid("nhs_number", "That NHS number doesn't add up. Please check the 10 digits.")
    return digits


def chi_number(value) -> str:
    """A Scottish CHI number, as 10 digits: in Scotland's range, starting with a real date (DDMMYY), passing the
    NHS number's Modulus 11 check. The field stays ``nhs_number``: the API's name for the patient identifier."""
    digits = _digits_only(value)
    if not re.fullmatch(r"[0-9]{10}", digits):
        raise Invalid("nhs_number", "A CHI number has 10 digits. Please check it and give all 10.")
    if not nhs.REGION_SCOTLAND.contains_number(digits):
        raise Invalid("nhs_number", "That isn't a CHI number: a CHI number starts with the date of birth, "
                                    "day, month and year. Please check it.")
    if not _ddmmyy(digits[:6]):
        raise Invalid("nhs_number", "That CHI number doesn't start with a real date of birth. Please check the "
                                    "10 digits.")
    if not nhs.is_valid(digits, for_region=nhs.REGION_SCOTLAND):
        raise Invalid("nhs_number", "That CHI number doesn't add up. Please check the 10 digits.")
    return digits


def _ddmmyy(text: str) -> bool:
    """A real day of some century: 29 February counts if either 19YY or 20YY was a leap year."""
    for century in ("19", "20"):
        try:
            datetime.strptime(text[:4] + century + text[4:], "%d%m%Y")
            return True
        except ValueError:
            continue
    return False


PATIENT_IDENTIFIER_RULES = {"nhs_number": nhs_number, "chi_number": chi_number}


def patient_identifier(value, scheme: str) -> str:
    """The patient identifier in the service's scheme (service_definition.PatientIdentifier.scheme)."""
    return PATIENT_IDENTIFIER_RULES[scheme](value)


def uk_phone(value) -> str:
    """A valid UK phone number, in E.164 form (+447712345678)."""
    message = ("That doesn't look like a UK phone number. Please give the whole number "
               "with its area code, like 020 7946 0321 or 07712 345678.")
    if _other_digits(str(value)):  # phonenumbers would read them as 0-9
        raise Invalid("phone", message)
    try:
        parsed = phonenumbers.parse(str(value), "GB")
    except phonenumbers.NumberParseException:
        raise Invalid("phone", message) from None
    if parsed.country_code != 44 or not phonenumbers.is_valid_number(parsed):  # +44 incl. Channel Islands
        raise Invalid("phone", message)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


def postcode(value) -> str:
    """A full UK postcode in its standard form ("W2 4RJ"). Checks the format only."""
    compact = re.sub(r"\s+", "", str(value)).upper()
    match = _POSTCODE.fullmatch(compact)
    if not match:
        raise Invalid("postcode", "That isn't a full postcode. Please give all of it, like W2 4RJ.")
    return f"{match.group(1)} {match.group(2)}"


def known_postcode(value) -> tuple[str, str]:
    """A full postcode that the ONS Postcode Directory knows: (normalised, local authority code)."""
    normalised = postcode(value)
    authority = postcodes.local_authority(normalised)
    if authority is None:
        raise Invalid("postcode", f"I can't find the postcode {normalised}. Please check it.",
                      code="unknown_postcode")
    return normalised, authority


# Published formats: GMC 7 digits; NMC PIN two digits, a letter, four digits, a letter;
# HCPC a profession prefix and digits; GPhC 7 digits; Social Work England "SW" and digits.
_REGISTRATION = {
    "GMC": (re.compile(r"^[0-9]{7}$"), "a GMC number has 7 digits"),
    "NMC": (re.compile(r"^[0-9]{2}[A-Z][0-9]{4}[A-Z]$"), "an NMC PIN looks like 12A3456E"),
    "HCPC": (re.compile(r"^(AS|BS|CH|CS|DT|HAD|OR|OT|PA|PH|PYL|PYF|RA|SL|ODP)[0-9]{4,6}$"),
             "an HCPC number is two or three letters and digits, like OT12345 or PH123456"),
    "GPhC": (re.compile(r"^[0-9]{7}$"), "a GPhC number has 7 digits"),
    "SWE": (re.compile(r"^SW[0-9]{1,6}$"), "a Social Work England number looks like SW123456"),
    # Scottish Social Services Council: its number format is not published where this was written, so any
    # plausible number (4 to 8 digits) is accepted. Confirm the format with the SSSC before going live.
    "SSSC": (re.compile(r"^[0-9]{4,8}$"), "an SSSC registration number is 4 to 8 digits"),
}
# The bodies whose numbers can be checked here; a service definition lists those its professions use.
REGISTRATION_BODIES = tuple(_REGISTRATION)


def registration_body(value, bodies: Iterable[str] | None = None) -> str:
    """One of ``bodies`` (default: every body known here), whatever the case it was written in."""
    allowed = tuple(bodies) if bodies is not None else REGISTRATION_BODIES
    text = str(value).strip()
    for body in allowed:
        if text.upper() == body.upper():
            return body
    raise Invalid("registration_body", "The registration body must be one of " + ", ".join(allowed) + ".")


def registration_number(body: str, value) -> str:
    """A registration number in its body's published format, upper case, no spaces."""
    body = registration_body(body)
    text = _digits_only(value).upper()
    pattern, hint = _REGISTRATION[body]
    if not pattern.fullmatch(text):
        raise Invalid("registration_number", f"That doesn't look right: {hint}. Please check it.")
    return text


def date_of_birth(value, today: date) -> date:
    """A real date, not in the future, for someone no older than MAX_AGE_YEARS."""
    if isinstance(value, date):
        born = value
    else:
        text = str(value).strip()
        try:
            born = date.fromisoformat(text) if text.isascii() else None
        except ValueError:
            born = None
        if born is None:
            raise Invalid("date_of_birth", "That isn't a date I can use. Please give the date of birth, "
                                           "like 7 March 1941.")
    if born > today:
        raise Invalid("date_of_birth", "That date of birth is in the future. Please check it.")
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if age > MAX_AGE_YEARS:
        raise Invalid("date_of_birth", f"That would make them {age}. Please check the year of birth.")
    return born
