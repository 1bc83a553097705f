"""Find any referral: by its reference ("EN8667"), the patient's NHS number (spaces or not) or name ("Mrs Ellis").
Every search is audited by what it looked for and what it showed, never by the words typed: a name or an NHS
number typed into the box is itself patient information."""
from __future__ import annotations

import re

from flask import g, render_template, request
from sqlalchemy import Select, and_, func, or_

from .. import referrals
from ..models import Referral
from ..store import audit, service, session
from . import bp
from .flags import badges
from .sessions import login_required

RESULTS = 50
_REFERENCE = re.compile(r"^[A-Za-z]{2}\d{4}$")
_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "rev"}


def _like_prefix(word: str) -> str:
    return word.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def what_is_sought(text: str) -> tuple[str, Select | None]:
    """(what kind of search, the query): a reference, an NHS number, a name, or nothing searchable."""
    text = text.strip()
    if _REFERENCE.match(text):
        return "reference", referrals.newest_first(Referral.reference == text.upper())
    digits = re.sub(r"[\s-]", "", text)
    if digits.isdigit():
        if len(digits) != 10:
            return "incomplete_nhs_number", None
        return "nhs_number", referrals.newest_first(Referral.patient_nhs_number == digits)
    words = [w for w in re.findall(r"[^\W\d_][\w'-]*", text.lower()) if w.rstrip(".") not in _TITLES][:4]
    if not words:
        return "nothing", None
    given, family = func.lower(Referral.patient_given_name), func.lower(Referral.patient_family_name)
    each_word = [or_(given.like(_like_prefix(w), escape="\\"), family.like(_like_prefix(w), escape="\\"))
                 for w in words]
    return "name", referrals.newest_first(and_(*each_word))


@bp.get("/search")
@login_required
def search():
    typed = (request.args.get("q") or "")[:100]
    kind, query = what_is_sought(typed)
    db = session()
    found, total = [], 0
    if query is not None:
        total = referrals.count(db, query)
        found = list(db.scalars(query.limit(RESULTS)))
    audit(db, g.actor, "referrals.searched", sought=kind, found=total, referral_ids=[r.id for r in found])
    db.commit()
    definition = service()
    return render_template("staff/search.html", search_query=typed, kind=kind, referrals=found, total=total,
                           badges=badges, services=definition.services, tz=definition.timezone)
