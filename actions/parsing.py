"""Turning what callers type or say into values: yes/no, dates, names, lists, choices."""
from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date, datetime, timedelta

from dateutil import parser as date_parser
from rasa_sdk import Tracker

_YES = re.compile(r"^\s*(y|yes|yeah|yep|yup|aye|correct|right|sure|ok|okay|true|she does|he does|they do|"
                  r"it is|that'?s right|affirmative|absolutely|definitely|please do)\b", re.I)
_NO = re.compile(r"^\s*(n|no|nope|nah|not|none|false|negative|she doesn'?t|he doesn'?t|they don'?t|never)\b", re.I)
# A "no" says so: the classifier's deny on "I think so" or "she was with you last year" is not trusted.
_NEGATION = re.compile(r"\b(n|no+|not|nope|nah|never|none|neither|nor|nothing|nobody|negative|wrong|incorrect|"
                       r"refused|refuses|declined|declines|don'?t|doesn'?t|didn'?t|isn'?t|wasn'?t|weren'?t|"
                       r"hasn'?t|haven'?t|hadn'?t|can'?t|cannot|won'?t|wouldn'?t|aren'?t)\b", re.I)
_ALONE = re.compile(r"\b(alone|on (his|her|their|my) own|by (him|her|them|my)sel(f|ves))\b", re.I)
_WITH_SOMEONE = re.compile(r"\b(lives?|living|stays?) with\b|\bwith (his|her|their|my) (wife|husband|partner|son|"
                           r"daughter|family|children|kids|carer|sister|brother|mum|dad|mother|father)\b", re.I)
_CONSENT_WORDS = re.compile(r"\b(consent(ed|s|ing)?|agreed|agrees|happy (to|with|for|about)|wants? (the|this) referral|"
                            r"knows about (it|the referral) and)\b", re.I)
_DONT_KNOW = re.compile(r"\b(don'?t know|do not know|dunno|not sure|no idea|unknown|not to hand|don'?t have|"
                        r"can'?t remember|not available)\b", re.I)


# "Send it" is a yes only to the read-back, whatever the classifier made of it.
_SEND_IT = re.compile(r"\b(send|submit)\b", re.I)
# The whole of a yes or a no, for a question that is no more than one ("yes?").
YES_NO = {"yes": ("y", "yes", "yeah", "yep", "yup", "aye", "correct", "right", "sure", "ok", "okay", "yes please",
                  "she does", "he does", "they do", "it is"),
          "no": ("n", "no", "nope", "nah", "not", "never", "none", "no she doesn t", "no he doesn t", "she doesn t",
                 "he doesn t", "they don t", "no they don t")}


def intent_of(tracker: Tracker) -> str | None:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def plain(text) -> str:
    """The caller's words without control characters or lone surrogates (the case store cannot hold a NUL,
    nor UTF-8 a lone surrogate); line breaks and tabs stay."""
    return _UNPRINTABLE.sub("", text if isinstance(text, str) else "" if text is None else str(text))


# A question starts with a question word, or with a verb asking about someone ("is it", "can you", "does she").
_ASKING = re.compile(r"^\s*((which|what|how|why|when|who|whose|where)\b|"
                     r"(can|could|is|are|does|do|did|will|would|should|shall|may|has|have)\s+(i|you|we|they|he|she|"
                     r"it|there|that|this|the|my|your|her|his|their|one|someone|anyone|somebody|anybody)\b)", re.I)
_FILLER = {"please", "the", "one", "um", "umm", "erm", "er", "uh", "so", "then", "thanks"}


def is_question(text) -> bool:
    """"Which one is quicker?", "what does that service mean": a question rather than an answer."""
    text = plain(text).strip()
    return bool(re.search(r"\?[\s!.)]*$", text) or _ASKING.match(text))


def question_instead(text, answers: dict[str, tuple[str, ...]]) -> bool:
    """A question asked instead of answering a closed question ("which one is quicker?"), unless all it says is
    one of the answers ("<a service>?", "yes?"). A question never fills a slot: it is asked again."""
    if not is_question(text):
        return False
    said = " ".join(w for w in re.sub(r"[^a-z0-9 ]+", " ", plain(text).lower()).split() if w not in _FILLER)
    return not any(said in phrases for phrases in answers.values())


def yes_or_no(tracker: Tracker, text: str) -> bool | None:
    intent = intent_of(tracker)
    if intent == "affirm" and not _SEND_IT.search(text or ""):
        return True
    if intent == "deny" and negated(text):
        return False
    if _YES.search(text or ""):
        return True
    if _NO.search(text or ""):
        return False
    return None


def negated(text: str) -> bool:
    """The words say no, whatever the classifier made of them."""
    return bool(_NEGATION.search(text or ""))


def says_dont_know(tracker: Tracker, text: str) -> bool:
    return intent_of(tracker) == "dont_know" or bool(_DONT_KNOW.search(text or ""))


_ORDINAL = re.compile(r"([0-9]+)(st|nd|rd|th)\b", re.I)
_LONGEST_DATE = 200  # characters: "born on the 7th of March 1941, so she's 85" is far shorter
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def parse_date(text: str, today: date, past: bool = True) -> date | None:
    """A whole date in any usual British form: 07/03/1941, 7th March 41, 07031941, 1941-03-07.
    Two-digit years fall in the past for a date of birth (``past``) and in the future otherwise.
    A date with any part missing ("March 1941") is None rather than a guess."""
    raw = plain(text).strip().lower()
    if not raw or len(raw) > _LONGEST_DATE or _other_digits(raw):
        return None
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
    """All the digits a caller gave, in order: "NHS number is 943 476 5919" -> "9434765919"."""
    return re.sub(r"[^0-9]", "", text or "")  # only 0-9: "٩٤٣٤٧٦٥٩١٩" is no NHS number


_POSTCODE_IN_TEXT = re.compile(r"\b([A-Za-z]{1,2}[0-9][A-Za-z0-9]?)\s*([0-9][A-Za-z]{2})\b", re.ASCII)


def postcode_in(text: str) -> str:
    """The postcode inside "it's W2 4RJ" (the whole text when none stands out, for the rule to judge)."""
    match = _POSTCODE_IN_TEXT.search(text or "")
    return f"{match.group(1)} {match.group(2)}" if match else (text or "")


def address_and_postcode(text: str) -> tuple[str, str | None]:
    """"12 Porchester Square, London W2 4RJ" -> ("12 Porchester Square", "W2 4RJ"); no postcode -> (text, None)."""
    match = _POSTCODE_IN_TEXT.search(text or "")
    if not match:
        return text, None
    rest = (text[:match.start()] + text[match.end():]).strip(" ,.")
    rest = re.sub(r"[,\s]+london$", "", rest, flags=re.I).strip(" ,")
    return rest, f"{match.group(1)} {match.group(2)}"


def phone_in(text: str) -> str:
    """The phone number inside "call her on 07712 345678 please" (or the whole text)."""
    import phonenumbers

    for match in phonenumbers.PhoneNumberMatcher(text or "", "GB", leniency=phonenumbers.Leniency.POSSIBLE):
        return match.raw_string
    return text or ""


def code_candidates(text: str) -> list[str]:
    """Registration numbers a caller may have given: "GMC 7123456", "my PIN is 12A 3456E", "OT 12345"."""
    words = re.sub(r"\b(my|the|is|it'?s|number|no|registration|reg|pin|gmc|nmc|hcpc|gphc|swe|sw e|sssc|code)\b",
                   " ", (text or "").lower())
    # (words with a digit in them: a pattern like [a-z]*[0-9] would take seconds over a long run of letters)
    tokens = [word for word in re.findall(r"[a-z0-9]+", words) if re.search(r"[0-9]", word)]
    joined = re.sub(r"[^a-z0-9]", "", words)
    return [t.upper() for t in dict.fromkeys([joined, *tokens, "".join(tokens)]) if t]
