"""Numbers, letters and dates as a telephone recogniser writes what people say, turned into digits and codes.

"g m c seven one two three four five six" -> "g m c 7 1 2 3 4 5 6", "oh seven seven double one" -> "0 7 7 1 1",
"the third of may nineteen thirty eight" -> "the 3rd of may 1938", "s w one x one a a" -> "s w 1 x 1 a a".
For answers that are numbers, dates or postcodes only: a reason for referral or a name is kept as said.

text2num's alpha2digit reads the number words. It leaves alone, and this adds: "oh" for zero, "double" and
"triple", a small number said on its own between letters ("s w one x"), "first" and "second" in a date, and a
year said in two halves ("19 38"). A lone small number in a sentence ("she has one daughter") stays a word.
"""
from __future__ import annotations

import calendar
import re
from functools import lru_cache

from text_to_num import alpha2digit

LONGEST = 300  # characters: a number, date or postcode said aloud is far shorter; longer text is left as it is
_WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)*")
_DIGITS = re.compile(r"[0-9]+")
_OH = {"oh", "o"}
_ZERO = {"zero", "nought"}
_REPEAT = {"double": 2, "triple": 3}
_MONTHS = {name.lower() for name in (*calendar.month_name[1:], *calendar.month_abbr[1:])}
# A year in two halves ("19 38", "19 0 5"), not followed by more digits: "20 12 19 40" is 20 December 1940.
_YEAR = re.compile(r"\b(1[89]|20) (0 [0-9]|[0-9]{2})\b(?![\s,.]*[0-9])")
_REPEATED = re.compile(r"\b(double|triple)[\s,]+([0-9]|[A-Za-z](?![A-Za-z0-9]))", re.I)
# Separators between letters and numbers said one after another ("s w 1 x, 1 a a", "07 7 1 2").
_BETWEEN_SPELT = re.compile(r"(?<![A-Za-z0-9'])([A-Za-z]|[0-9]+)[\s,.]+(?=(?:[A-Za-z]|[0-9]+)(?![A-Za-z0-9']))")


def normalised(text: str | None) -> str:
    """Spoken numbers, letters and dates in digits; anything else as it was."""
    text = text if isinstance(text, str) else ""
    if len(text) > LONGEST:
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: no spoken number, and text2num cannot take it
        return text
    text = alpha2digit(_with_words(text, _zero), "en")
    text = _with_words(text, _small_number, dates=any(w.lower() in _MONTHS for w in _WORD.findall(text)))
    text = _REPEATED.sub(lambda m: " ".join([m.group(2)] * _REPEAT[m.group(1).lower()]), text)
    return _YEAR.sub(lambda m: m.group(1) + m.group(2).replace(" ", ""), text)


def spelt_together(text: str) -> str:
    """Letters and numbers said one after another, written as one: "s w 1 x, 1 a a" -> "sw1x1aa", "07 7 1 2, 3 4"
    -> "0771234" (a postcode or a phone number said a character at a time); words stay apart."""
    return _BETWEEN_SPELT.sub(r"\1", text) if len(text) <= LONGEST else text


def _with_words(text: str, change, **options) -> str:
    """The text with each word passed to ``change(word, before, after, **options)``, which gives it back or
    its replacement (before and after: the words either side, as they are after any change)."""
    words = _WORD.findall(text)
    done: list[str] = []
    for index, word in enumerate(words):
        before = done[-1] if done else ""
        after = words[index + 1] if index + 1 < len(words) else ""
        done.append(change(word, before, after, **options))
    pieces = iter(done)
    return _WORD.sub(lambda _: next(pieces), text)


def _zero(word: str, before: str, after: str) -> str:
    """Zero as a digit, so that alpha2digit keeps it apart ("zero seven" would be "07"); "oh" (and "o") is
    zero beside a number: "oh seven", "four oh four", "double oh seven"."""
    lowered = word.lower()
    if lowered in _ZERO or (lowered in _OH and (_numberish(before) or _numberish(after))):
        return "0"
    return word


def _small_number(word: str, before: str, after: str, dates: bool) -> str:
    """A number word alpha2digit left as a word, in digits where it is one of a code's characters or a date's
    day ("s w one x" -> "s w 1 x", "the first of june" -> "the 1st of june")."""
    if not word.isalpha() or not _number_word(word):
        return word
    if dates or any(_numberish(w) or (len(w) == 1 and w.isalpha()) for w in (before, after)):
        return _number_word(word)
    return word


def _numberish(word: str) -> bool:
    lowered = word.lower()
    return bool(_DIGITS.fullmatch(word) or lowered in _OH or lowered in _ZERO or lowered in _REPEAT
                or (word.isalpha() and _number_word(word)))


@lru_cache(maxsize=2048)
def _number_word(word: str) -> str:
    """The word in digits if it is a number or an ordinal ("one" -> "1", "first" -> "1st"), else ""."""
    written = alpha2digit(word, "en", threshold=0)
    return written if written != word and any(ch.isdigit() for ch in written) else ""
