"""The queue of captured intakes (newest first, filtered), declined contacts, and the CSV export."""
from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date, datetime, time, timedelta

from flask import Response, g, render_template, request
from sqlalchemy import select

from referral_rules.clock import now
from referral_rules.contract import CHANNELS, FIELDS, STATUSES

from .. import referrals
from ..models import DeclinedContact, Referral
from ..serialise import iso
from ..store import audit, service, session
from . import bp
from .flags import badges
from .sessions import login_required

QUEUE_LENGTH = 200


def _declined_by_reason_and_day(filters: dict) -> tuple[list[str], list[tuple[date, list[int]]]]:
    """Declined contacts counted by reason and local day: the filter's date range, else the last 7 days."""
    definition = service()
    tz = definition.timezone
    today = now().astimezone(tz).date()
    end = date.fromisoformat(filters["to"]) if "to" in filters else today
    start = date.fromisoformat(filters["from"]) if "from" in filters else end - timedelta(days=6)
    rows = session().execute(select(DeclinedContact.reason, DeclinedContact.at).where(
        DeclinedContact.at >= datetime.combine(start, time(), tz),
        DeclinedContact.at < datetime.combine(end + timedelta(days=1), time(), tz)))
    counts = Counter((reason, at.astimezone(tz).date()) for reason, at in rows)
    reasons = sorted({reason for reason, _day in counts})
    days = sorted({day for _reason, day in counts}, reverse=True)
    return reasons, [(day, [counts[(reason, day)] for reason in reasons]) for day in days]


@bp.get("/")
@login_required
def queue():
    definition = service()
    query = referrals.matching(request.args, definition)  # a bad filter is a 400 page naming it
    filters = referrals.given_filters(request.args)
    db = session()
    total = referrals.count(db, query)
    shown = list(db.scalars(query.limit(QUEUE_LENGTH)))
    reasons, declined = _declined_by_reason_and_day(filters)
    # One entry, naming the referrals whose patients were on screen: the queue is looked at all day, and an
    # entry in every listed referral's own history would bury the views and changes that matter there.
    audit(db, g.actor, "queue.viewed", filters=filters, shown=len(shown), referral_ids=[r.id for r in shown])
    db.commit()
    return render_template("staff/queue.html", referrals=shown, total=total, filters=filters, badges=badges,
                           statuses=STATUSES, services=definition.services, boroughs=definition.boroughs,
                           channels=CHANNELS, declined_reasons=reasons, declined=declined,
                           tz=definition.timezone)


# The export's columns (its header names are what the service's reports read) and the referral's field in each:
# no patient names, identifiers, dates of birth, addresses or free text.
CSV_COLUMNS = (("reference", "reference"), ("received_at", "received_at"), ("status", "status"),
               ("service", "service"), ("channel", "channel"), ("borough", "borough.name"),
               ("out_of_hours", "out_of_hours"), ("urgency", "urgency"),
               ("mental_health_crisis", "mental_health_crisis"), ("safeguarding", None),
               ("referrer_kind", "referrer.kind"), ("referrer_profession", "referrer.profession"),
               ("referrer_organisation", "referrer.organisation"), ("setting", "setting"),
               ("expected_discharge_date", "expected_discharge_date"), ("consent", "consent"))


def _cell(value) -> str:
    """Plain text; a leading = + - @ would be a formula to a spreadsheet, so it is quoted away."""
    if isinstance(value, (date, datetime)):
        value = iso(value)
    text = "" if value is None else ("yes" if value is True else "no" if value is False else str(value))
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_row(r: Referral) -> list[str]:
    safeguarding = any(label == "Safeguarding" for _css, label in badges(r))
    return [_cell(getattr(r, FIELDS[path].column) if path else safeguarding) for _header, path in CSV_COLUMNS]


@bp.get("/export.csv")
@login_required
def export_csv():
    """The filtered queue for the service's own reporting: no patient names, identifiers or dates of birth."""
    definition = service()
    query = referrals.matching(request.args, definition)
    db = session()
    exported = list(db.scalars(query))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header for header, _path in CSV_COLUMNS)
    writer.writerows(_csv_row(r) for r in exported)
    audit(db, g.actor, "referrals.exported", format="csv", filters=referrals.given_filters(request.args),
          count=len(exported))
    for r in exported:  # so each referral's own history shows it left the case store
        audit(db, g.actor, "referral.exported", referral_id=r.id, format="csv")
    db.commit()
    stamp = now().astimezone(definition.timezone).strftime("%Y-%m-%d")
    name = definition.short_name.lower().replace(" ", "-")
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}-referrals-{stamp}.csv"'})
