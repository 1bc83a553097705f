"""Look-ups shared by several endpoints: the case store's returning clients and referrers, and the names of
local authorities."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Client, Referrer


def find_returning_client(db: Session, nhs_number: str, date_of_birth: date) -> Client | None:
    """The client with this NHS number and date of birth who has had an episode of the service's care, if any."""
    client = db.scalar(select(Client).where(Client.nhs_number == nhs_number))
    if client is None or client.date_of_birth != date_of_birth or not client.episodes:
        return None
    return client


def find_referrer(db: Session, registration_body: str, registration_number: str) -> Referrer | None:
    return db.scalar(select(Referrer).where(Referrer.registration_body == registration_body,
                                            Referrer.registration_number == registration_number))


@dataclass(frozen=True)
class LocalAuthority:
    """A local authority district by its ONS code, and the council that runs adult social care there: the
    upper tier (a county council) where there are two, else the district's own council."""
    code: str
    name: str
    council_code: str
    council_name: str


# Single-tier councils the 2021 lookup below does not hold: Scotland's 32 council areas (S12...) and England's
# unitary councils of April 2023 (E0600006x). Each runs its own adult social care.
LATER_COUNCILS = Path(__file__).parent / "data" / "local-authorities.csv"


@cache
def _authorities() -> dict[str, LocalAuthority]:
    # The ONS lower-to-upper-tier lookup of England and Wales, from the same Quality LAC Data reference packages
    # as the postcode directory (which gives codes only), and the councils in the file above. Anything in neither
    # (Northern Ireland's districts) is routed, but comes back unnamed.
    import qlacref_authorities

    known = {r["LTLA21CD"]: LocalAuthority(r["LTLA21CD"], r["LTLA21NM"], r["UTLA21CD"], r["UTLA21NM"])
             for r in qlacref_authorities.records}
    with LATER_COUNCILS.open(newline="") as rows:
        known.update({r["code"]: LocalAuthority(r["code"], r["name"], r["code"], r["name"])
                      for r in csv.DictReader(rows)})
    return known


def local_authority(code: str | None) -> LocalAuthority | None:
    """The district and its social care council for an ONS code ("E09000007": Camden), None if not known."""
    return _authorities().get(code or "")
