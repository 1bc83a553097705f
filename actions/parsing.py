"""Turning what callers type or say into values: yes/no, dates, names, lists, choices."""
from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date, datetime, timedelta

from dateutil import parser as date_parser
from rasa_sdk import Tracker

from referral_rules.spoken import LONGEST, normalised, spelt_together

_ALONE = re.compile(r"\b(alone|on (his|her|their|my) own|by (him|her|them|my)sel(f|ves))\b", re.I)
_WITH_SOMEONE = re.compile(r"\b(lives?|living|stays?) with\b|\bwith (his|her|their|my) (wife|husband|partner|son|"
                           r"daughter|family|children|kids|carer|sister|brother|mum|dad|mother|father)\b", re.I)
_CONSENT_WORDS = re.compile(r"\b(consent(ed|s|ing)?|agreed|agrees|happy (to|with|for|about)|wants? (the|this) referral|"
                            r"knows about (it|the referral) and)\b", re.I)
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def plain(text) -> str:
    """The caller's words without control characters or lone surrogates (the case store cannot hold a NUL,
    nor UTF-8 a lone surrogate); line breaks and tabs stay."""
    return _UNPRINTABLE.sub("", text if isinstance(text, str) else "" if text is None else str(text))


_ORDINAL = re.compile(r"([0-9]+)(st|nd|rd|th)\b", re.I)
_LONGEST_DATE = 200  # characters: "born on the 7th of March 1941, so she's 85" is far shorter
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def parse_date(text: str, today: date, past: bool = True) -> date | None:
    """A whole date in any usual British form: 07/03/1941, 7th March 41, 07031941, 1941-03-07, or said in
    words ("the seventh of march nineteen forty one").
    Two-digit years fall in the past for a date of birth (``past``) and in the future otherwise.
    A date with any part missing ("March 1941") is None rather than a guess."""
    raw = plain(text).strip().lower()
    if not raw or len(raw) > _LONGEST_DATE or _other_digits(raw):
        return None
    raw = normalised(raw)
    if not past:
        relative = _relative_date(raw, today)
        if relative:
            return relative
    digits = digits_in(raw)
    if len(digits) == 8 and not re.sub(r"[0-9\s#]", "", raw):  # DDMMYYYY from a keypad
        raw = f"{digits[:2]}/{digits[2:4]}/{digits[4:]}"
    iso = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", raw)
    if iso:
        try:
            return date(*map(int, iso.groups()))
        except ValueError:
            return None
    cleaned = _ORDINAL.sub(r"\1", raw)
    cleaned = re.sub(r"\b(born|on|the|of|dob|date|birth|is|it'?s|expected|discharge)\b", " ", cleaned)
    # A future date may leave out the year ("27 November"): this year, or next if that has passed.
    year = today.year if not past else 2000
    first, second = (_parsed(cleaned, datetime(year, 1, 1)), _parsed(cleaned, datetime(year, 2, 2)))
    if first is None or first != second:  # not a date, or the day or month was not given
        return None
    result = first.date()
    four_digit_year = re.search(r"[0-9]{4}", cleaned)
    if past and not four_digit_year:
        if result.year == 2000 and not re.search(r"\b[0-9]{2}\b\s*$|[0-9]{1,2}[/.\-][0-9]{1,2}[/.\-][0-9]{2}\b",
                                                 cleaned):
            return None  # no year at all in a date of birth
        if result > today:
            result = _years_later(result, -100)  # None for 29 February in a century that had none
    elif not past and result < today and not _year_given(cleaned):
        result = _years_later(result, 1) or result  # "29 February" that has passed: no 29th next year
    return result


def _parsed(text: str, default: datetime) -> datetime | None:
    try:
        return date_parser.parse(text, dayfirst=True, fuzzy=True, default=default)
    except (ValueError, OverflowError):  # (dateutil's ParserError is a ValueError)
        return None


def _year_given(text: str) -> bool:
    """Whether the words name a year ("27/11/26", "27 November 2026") rather than leave it out ("27 November")."""
    in_2000, in_2004 = _parsed(text, datetime(2000, 1, 1)), _parsed(text, datetime(2004, 1, 1))  # both leap years
    return in_2000 is not None and in_2000 == in_2004


def _years_later(day: date, years: int) -> date | None:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return None


def _other_digits(text: str) -> bool:
    """Digits other than 0-9 (Arabic-Indic, full-width): not a date, an NHS number or a phone number here."""
    return any(ch.isnumeric() and not ch.isascii() for ch in text)


def _relative_date(raw: str, today: date) -> date | None:
    if re.search(r"\btoday\b", raw):
        return today
    if re.search(r"\btomorrow\b", raw):
        return today + timedelta(days=1)
    match = re.search(r"\bin ([0-9]{1,3}|a|one|two|three|four|five|six|seven) days?\b", raw)
    if match:
        words = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
        return today + timedelta(days=int(words.get(match.group(1), match.group(1))))
    for index, day in enumerate(_WEEKDAYS):
        if re.search(rf"\b{day}\b", raw):
            return today + timedelta(days=(index - today.weekday()) % 7 or 7)
    return None


_NAME_PREFIX = re.compile(r"^(her|his|their|the patient'?s|patient'?s|my)?\s*(full\s+)?(name\s+is|name'?s|it'?s|its|"
                          r"this is|i am|i'm|im)\s+", re.I)
_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lady", "lord", "rev"}


_NOT_IN_NAMES = {"can", "could", "would", "you", "your", "please", "send", "want", "need", "team", "service",
                 "referral", "what", "why", "how", "don't", "know", "sure", "not", "help", "speak", "person", "someone"}


def lives_alone(text: str) -> bool | None:
    """"he lives on his own" -> True; "with her husband", "not alone" -> False; otherwise None."""
    if _WITH_SOMEONE.search(text) or re.search(r"\b(not|doesn'?t|isn'?t)\b[^.]{0,20}\balone\b", text, re.I):
        return False
    return True if _ALONE.search(text) else None


def consents(text: str) -> bool | None:
    """"he's consented", "she's happy to be referred" -> True; "she hasn't agreed", "refused" -> False."""
    if re.search(r"\b(refused|refuses|declined|declines|doesn'?t want|does not want)\b", text, re.I):
        return False
    if _CONSENT_WORDS.search(text):
        return not re.search(r"\b(not|hasn'?t|has not|doesn'?t|didn'?t|won'?t|isn'?t|can'?t|cannot|unable|"
                             r"couldn'?t)\b", text, re.I)
    return None


def person_name(text: str, not_names: Collection[str] = ()) -> tuple[str, str] | None:
    """(given names, family name) from "Mrs Edith Clarke" or "her name is edith clarke". A word of ``not_names``
    (the service's own words: "can you send the <service> team?") makes it no name."""
    cleaned = _NAME_PREFIX.sub("", plain(text).strip())
    words = [w for w in re.split(r"\s+", re.sub(r"[^\w'\- ]", " ", cleaned)) if w]
    words = [w for w in words if w.lower().rstrip(".") not in _TITLES and _has_letters(w)]
    if not 2 <= len(words) <= 5 or any(any(ch.isnumeric() for ch in w) for w in words):
        return None
    if any(w.lower() in _NOT_IN_NAMES or w.lower() in not_names for w in words):
        return None
    fix = lambda w: w if any(c.isupper() for c in w[1:]) else w[:1].upper() + w[1:].lower()  # noqa: E731
    return " ".join(fix(w) for w in words[:-1]), fix(words[-1])


_NOTHING = re.compile(
    r"(no|none|nothing|nil|n/?a|nope)( (other|known|particular|significant|new|safeguarding|safety))?"
    r"( (risks?|concerns?|issues?|problems?))?"
    r"( (really|at all|known|else|of note|to report|significant|at the moment|that i know of|that i'?m aware of))?"
    r"|not that i('?m| am) aware( of)?|not that i know( of)?", re.I)


def items(text: str | list) -> list[str]:
    """A spoken or typed list: "mobility, washing and dressing" -> three items. "none" -> [].
    Always a list of strings that say something (a list given as a list stays one)."""
    if isinstance(text, (list, tuple)):
        return [item for item in (_trimmed(plain(part)) for part in text) if _has_letters(item)]
    raw = plain(text).strip()
    if _NOTHING.fullmatch(raw.rstrip(".! ")):
        return []
    # "and" joins two items, but not in "in and out", "up and down", "on and off".
    parts = re.split(r"\s*(?:,|;|\n|\band also\b|\bas well as\b|\band\b(?!\s+(?:out|down|off|forth|about)\b)|"
                     r"\bplus\b)\s*", raw)
    return [item for item in map(_trimmed, parts) if _has_letters(item)]


def _trimmed(text: str) -> str:
    """An item without the bullet or number of a pasted list ("- walking", "2) washing") or a full stop."""
    return re.sub(r"^\s*(?:[-*•–]|\(?[0-9]{1,2}[.)])\s+|^[\s.]+|[\s.]+$", "", text)


def _has_letters(text: str) -> bool:
    """Words, not only punctuation or emoji."""
    return any(ch.isalnum() for ch in text)


def choose(text: str, choices: dict[str, tuple[str, ...]]) -> str | None:
    """The choice whose words appear in the text; the longest phrase wins ("not urgent" over "urgent",
    "care home" over "home"). None when nothing matches or two choices match equally well."""
    lowered = " " + " ".join(re.sub(r"[^a-z0-9 ]+", " ", (text or "").lower()).split()) + " "
    best: dict[str, int] = {}
    for key, words in choices.items():
        lengths = [len(w) for w in words if f" {w} " in lowered]
        if lengths:
            best[key] = max(lengths)
    if not best:
        return None
    top = max(best.values())
    winners = [key for key, length in best.items() if length == top]
    return winners[0] if len(winners) == 1 else None


def digits_in(text: str) -> str:
    """All the digits a caller gave, in order, typed or said: "NHS number is 943 476 5919" -> "9434765919",
    "nine four three, four seven six, five nine one nine" -> "9434765919"."""
    return re.sub(r"[^0-9]", "", normalised(text))  # only 0-9: "٩٤٣٤٧٦٥٩١٩" is no NHS number


_POSTCODE_IN_TEXT = re.compile(r"\b([A-Za-z]{1,2}[0-9][A-Za-z0-9]?)\s*([0-9][A-Za-z]{2})\b", re.ASCII)
_LONGEST_SPOKEN_POSTCODE = 12  # words: "s w one x one a a" is 7, "double" and pauses add a few


def postcode_in(text: str) -> str:
    """The postcode inside "it's W2 4RJ" or "w two four r j" (the whole text when none stands out, for the
    rule to judge)."""
    said = normalised(text)
    for form in (text or "", said, spelt_together(said)):
        match = _POSTCODE_IN_TEXT.search(form)
        if match:
            return f"{match.group(1)} {match.group(2)}"
    return text or ""


def address_and_postcode(text: str) -> tuple[str, str | None]:
    """"12 Porchester Square, London W2 4RJ" -> ("12 Porchester Square", "W2 4RJ"); no postcode -> (text, None).
    A postcode said at the end ("... square, w two four r j") is found too; the first line stays as said."""
    match = _POSTCODE_IN_TEXT.search(text or "")
    if match:
        rest, postcode = text[:match.start()] + text[match.end():], f"{match.group(1)} {match.group(2)}"
    else:
        rest, postcode = _said_postcode_at_end(text or "")
        if postcode is None:
            return text, None
    rest = re.sub(r"[,\s]+london$", "", rest.strip(" ,."), flags=re.I).strip(" ,")
    return rest, postcode


def _said_postcode_at_end(text: str) -> tuple[str, str | None]:
    """(what comes before, the postcode) for the longest run of last words that is a postcode said aloud."""
    starts = [word.start() for word in re.finditer(r"\S+", text)][-_LONGEST_SPOKEN_POSTCODE:]
    for start in starts:
        match = re.fullmatch(r"([A-Za-z]{1,2}[0-9][A-Za-z0-9]?)\s*([0-9][A-Za-z]{2})",
                             spelt_together(normalised(text[start:])).strip(" ,."), re.ASCII)
        if match:
            return text[:start], f"{match.group(1)} {match.group(2)}"
    return text, None


def phone_in(text: str) -> str:
    """The phone number inside "call her on 07712 345678 please" or "oh seven seven one two, three four five
    six seven eight" (or the whole text)."""
    import phonenumbers

    said = normalised(text)
    first = None
    # As given, then said a character at a time, then said in pairs ("thirty four fifty six").
    forms = [said]
    if len(said) <= LONGEST:
        forms += [spelt_together(said), re.sub(r"(?<=[0-9])[\s,.]+(?=[0-9])", "", said)]
    for form in dict.fromkeys(forms):
        for match in phonenumbers.PhoneNumberMatcher(form, "GB", leniency=phonenumbers.Leniency.POSSIBLE):
            if phonenumbers.is_valid_number(match.number):
                return match.raw_string
            first = first or match.raw_string
    return first or text or ""


# Words around a registration number, and the bodies' names, also spelt out ("g m c").
_NOT_THE_NUMBER = re.compile(r"\b(my|the|is|it'?s|number|no|registration|reg|pin|code|sw e|"
                             + "|".join(r"\s*".join(body) for body in ("gmc", "nmc", "hcpc", "gphc", "swe", "sssc"))
                             + r")\b")


def code_candidates(text: str) -> list[str]:
    """Registration numbers a caller may have given: "GMC 7123456", "my PIN is 12A 3456E", "OT 12345",
    "g m c seven one two three four five six"."""
    words = _NOT_THE_NUMBER.sub(" ", normalised(text).lower())
    # (words with a digit in them: a pattern like [a-z]*[0-9] would take seconds over a long run of letters)
    tokens = [word for word in re.findall(r"[a-z0-9]+", words) if re.search(r"[0-9]", word)]
    joined = re.sub(r"[^a-z0-9]", "", words)
    return [t.upper() for t in dict.fromkeys([joined, *tokens, "".join(tokens)]) if t]
