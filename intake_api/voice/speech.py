"""Turning the bot's written answers into something for the ear, and the caller's words into an answer.

Said aloud: no markdown, links, emoji or button lists; any number of four or more digits is read digit by
digit ("9434765919" -> "9 4 3 4 7 6 5 9 1 9"), phone numbers keep their groups as pauses. A year after a
month ("7 March 1941") is left as a year.
"""
from __future__ import annotations

import re

from referral_rules.spoken import normalised

_LINK = re.compile(r"\[([^\]]+)\]\([^)]+\)")
_URL = re.compile(r"https?://\S+")
_MARKUP = re.compile(r"[*_`#>]+")
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F]")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
# A run of digits, possibly in groups separated by single spaces ("020 7946 0321").
_NUMBER = re.compile(r"(?<![\d:])\d+(?: \d+)*(?![\d:])")


_CODE = re.compile(r"\b(?!\d+(?:st|nd|rd|th)\b)(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z\d]{4,}\b")


def _spell(match: re.Match, text: str, shortest: int = 4) -> str:
    number = match.group(0)
    if sum(ch.isdigit() for ch in number) < shortest or all(len(group) == 1 for group in number.split(" ")):
        return number
    before = text[:match.start()].rstrip().lower()
    if re.fullmatch(r"(19|20)\d\d", number) and before.endswith(_MONTHS):
        return number
    return ", ".join(" ".join(group) for group in number.split(" "))


def _readable_forms(text: str) -> str:
    """Dates as words ("1941-03-07" -> "7 March 1941"), UK numbers as dialled ("+447712345678" -> "07712345678")."""
    text = re.sub(r"\b(\d{4})-(\d{2})-(\d{2})\b",
                  lambda m: f"{int(m.group(3))} {_MONTHS[int(m.group(2)) - 1].title()} {m.group(1)}"
                  if 1 <= int(m.group(2)) <= 12 else m.group(0), text)
    return re.sub(r"\+44(\d{10})\b", r"0\1", text)


def spell_numbers(text: str) -> str:
    # Letters glued to digits ("12A3456E", "AC3467") are read one by one; then the numbers.
    text = _CODE.sub(lambda m: " ".join(m.group(0)), text)
    return _NUMBER.sub(lambda m: _spell(m, text), text)


def for_the_ear(text: str) -> str:
    text = _LINK.sub(r"\1", text or "")
    text = _URL.sub("", text)
    text = _MARKUP.sub("", text)
    text = _EMOJI.sub("", text)
    text = re.sub(r"^\s*[-•]\s+", "", text, flags=re.M)
    text = re.sub(r"\s+", " ", text).strip()
    return spell_numbers(_readable_forms(text))


def read_back(heard: str) -> str:
    """What the caller gave, every number digit by digit and every letter said alone as a capital, so it is
    said as a letter ("12 A 3456 E" -> "1 2 A 3 4 5 6 E", "g m c 7 1 2" -> "G M C 7 1 2")."""
    text = spell_numbers(re.sub(r"\s+", " ", heard).strip())
    text = re.sub(r"(?<![\w'])[a-z](?![\w'])", lambda m: m.group(0).upper(), text)
    return _NUMBER.sub(lambda m: _spell(m, text, shortest=2), text)


def callers_answer(digits: str | None, speech: str | None, numbers: bool = False) -> str:
    """What the caller gave: keys pressed (without the closing #), or the words heard, tidied. For a number
    or a date (``numbers``), words are written as digits: "seven one two" -> "7 1 2"."""
    keys = (digits or "").replace("#", "").strip()
    if keys:
        return keys
    words = re.sub(r"\s+", " ", speech or "").strip().rstrip(".!?").strip()
    return normalised(words) if numbers else words


def has_digits(text: str) -> bool:
    return any(ch.isdigit() for ch in text)
