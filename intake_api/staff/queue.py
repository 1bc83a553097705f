"""The queue of captured intakes (newest first, filtered), declined contacts, and the CSV export."""
from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date, datetime, time, timedelta

from flask import Response, g, render_template
from sqlalchemy import func, select

from ..api.referrals import filter_args, filtered_referrals_query
from ..app import service
from ..clock import aware, now
from ..models import STATUSES, DeclinedContact, Referral
from ..referral_payload import CHANNELS
from ..serialise import iso
from ..store import audit, session
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
    counts = Counter((reason, aware(at).astimezone(tz).date()) for reason, at in rows)
    reasons = sorted({reason for reason, _day in counts})
    days = sorted({day for _reason, day in counts}, reverse=True)
    return reasons, [(day, [counts[(reason, day)] for reason in reasons]) for day in days]


@bp.get("/")
@login_required
def queue():
    query = filtered_referrals_query()  # a bad filter is a 400 page naming it
    filters = filter_args()
    db = session()
    total = db.scalar(select(func.count()).select_from(query.subquery()))
    referrals = list(db.scalars(query.order_by(Referral.received_at.desc(), Referral.id.desc()).limit(QUEUE_LENGTH)))
    reasons, declined = _declined_by_reason_and_day(filters)
    # One entry, naming the referrals whose patients were on screen: the queue is looked at all day, and an
    # entry in every listed referral's own history would bury the views and changes that matter there.
    audit(db, g.actor, "queue.viewed", filters=filters, shown=len(referrals), referral_ids=[r.id for r in referrals])
    db.commit()
    definition = service()
    return render_template("staff/queue.html", referrals=referrals, total=total, filters=filters, badges=badges,
                           statuses=STATUSES, services=definition.services, boroughs=definition.boroughs,
                           channels=CHANNELS, declined_reasons=reasons, declined=declined,
                           tz=definition.timezone)


CSV_COLUMNS = ("reference", "received_at", "status", "service", "channel", "borough", "out_of_hours", "urgency",
               "mental_health_crisis", "safeguarding", "referrer_kind", "referrer_profession",
               "referrer_organisation", "setting", "expected_discharge_date", "consent")


def _cell(value) -> str:
    """Plain text; a leading = + - @ would be a formula to a spreadsheet, so it is quoted away."""
    text = "" if value is None else ("yes" if value is True else "no" if value is False else str(value))
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_row(r: Referral) -> list[str]:
    flags = {label for _css, label in badges(r)}
    return [_cell(v) for v in (
        r.reference, iso(r.received_at), r.status, r.service, r.channel, r.borough_name, r.out_of_hours, r.urgency,
        r.mental_health_crisis, "Safeguarding" in flags, r.referrer_kind, r.referrer_profession,
        r.referrer_organisation, r.setting, iso(r.expected_discharge_date), r.consent)]


@bp.get("/export.csv")
@login_required
def export_csv():
    """The filtered queue for the service's own reporting: no patient names, NHS numbers or dates of birth."""
    query = filtered_referrals_query()
    db = session()
    referrals = list(db.scalars(query.order_by(Referral.received_at.desc(), Referral.id.desc())))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_csv_row(r) for r in referrals)
    audit(db, g.actor, "referrals.exported", format="csv", filters=filter_args(), count=len(referrals))
    for r in referrals:  # so each referral's own history shows it left the case store
        audit(db, g.actor, "referral.exported", referral_id=r.id, format="csv")
    db.commit()
    stamp = now().astimezone(service().timezone).strftime("%Y-%m-%d")
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="cis-referrals-{stamp}.csv"'})
