"""The queue of captured intakes (newest first, filtered, a page at a time), declined contacts, and the CSV
export (in parts, for a range too large for one file)."""
from __future__ import annotations

import csv
import math
import io
from collections import Counter
from datetime import date, datetime, time, timedelta

from flask import Response, current_app, g, get_template_attribute, jsonify, render_template, request
from sqlalchemy import func, select

from referral_rules.clock import now
from referral_rules.contract import CHANNELS, FIELDS, STATUSES

from .. import referrals
from ..errors import ApiError
from ..models import DeclinedContact, Referral
from ..serialise import iso
from ..store import audit, service, session
from . import bp
from .flags import badges
from .sessions import live_session_required, login_required

PAGE_SIZE = 50
EXPORT_ROWS = 10_000  # a CSV file's rows; a larger range is exported in parts


def page_arg() -> int:
    raw = request.args.get("page") or "1"
    if not raw.isdigit() or not 1 <= int(raw) <= 1_000_000:
        raise ApiError(400, "invalid_page", "page must be a whole number from 1.", field="page")
    return int(raw)


def pages_of(total: int, size: int) -> int:
    return max(1, math.ceil(total / size))


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
    page = page_arg()
    db = session()
    total = referrals.count(db, query)
    shown = list(db.scalars(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    reasons, declined = _declined_by_reason_and_day(filters)
    # One entry, naming the referrals whose patients were on screen: the queue is looked at all day, and an
    # entry in every listed referral's own history would bury the views and changes that matter there.
    audit(db, g.actor, "queue.viewed", filters=filters, page=page, shown=len(shown),
          referral_ids=[r.id for r in shown])
    db.commit()
    return render_template("staff/queue.html", referrals=shown, total=total, filters=filters, badges=badges,
                           page=page, pages=pages_of(total, PAGE_SIZE), newest=_newest(db, query),
                           poll_seconds=current_app.config.get("STAFF_QUEUE_POLL_SECONDS", 15),
                           export_parts=pages_of(total, EXPORT_ROWS), export_rows=EXPORT_ROWS,
                           statuses=STATUSES, services=definition.services, boroughs=definition.boroughs,
                           channels=CHANNELS, declined_reasons=reasons, declined=declined,
                           tz=definition.timezone)


def _newest(db, query) -> int:
    """The newest referral the filters match (0 for none): the live queue asks for those after it."""
    matched = query.order_by(None).subquery()
    return db.scalar(select(func.max(matched.c.id))) or 0


@bp.get("/queue/arrived")
@live_session_required
def queue_arrived():
    """The live queue: referrals matching the page's filters that arrived after ``after`` (the newest the page
    shows), as rows for its table, and what to announce. Asked every STAFF_QUEUE_POLL_SECONDS by the open
    first page; audited only when it shows someone new."""
    definition = service()
    query = referrals.matching(request.args, definition)
    raw = request.args.get("after") or ""
    if not raw.isdigit():
        raise ApiError(400, "invalid_after", "after must be a referral id.", field="after")
    db = session()
    # The oldest first, so that more than a page at once come over the next askings, none skipped; shown newest first.
    oldest_first = query.order_by(None).where(Referral.id > int(raw)).order_by(Referral.id).limit(PAGE_SIZE)
    arrived = list(reversed(db.scalars(oldest_first).all()))
    if arrived:
        audit(db, g.actor, "queue.updated", filters=referrals.given_filters(request.args),
              referral_ids=[r.id for r in arrived])
        db.commit()
    row = get_template_attribute("staff/macros.html", "referral_row")
    urgent = [r for r in arrived if any(css in ("urgent", "same_day") for css, _label in badges(r))]
    return jsonify(rows=[str(row(r, definition.services, badges, definition.timezone, True)) for r in arrived],
                   newest=max([int(raw)] + [r.id for r in arrived]),
                   announce=_announcement(arrived, definition), urgent=_announcement(urgent, definition))


def _announcement(arrived: list[Referral], definition) -> str:
    """What a screen reader says: "New referral EN8667: <the service>, urgent." (no patient details)."""
    said = []
    for r in arrived:
        marks = ", ".join(label.lower() for css, label in badges(r) if css in ("urgent", "crisis", "safeguarding"))
        offered = definition.services.get(r.service or "")
        said.append(f"New referral {r.reference}: {offered.name if offered else 'no service chosen'}"
                    f"{', ' + marks if marks else ''}.")
    return " ".join(said)


# The export's columns (its header names are what the service's reports read) and the referral's field in each:
# no patient names, identifiers, dates of birth, addresses or free text.
CSV_COLUMNS = (("reference", "reference"), ("received_at", "received_at"), ("status", "status"),
               ("service", "service"), ("channel", "channel"), ("borough", "borough.name"),
               ("out_of_hours", "out_of_hours"), ("urgency", "urgency"),
               ("mental_health_crisis", "mental_health_crisis"), ("safeguarding", None),
               ("referrer_kind", "referrer.kind"), ("referrer_profession", "referrer.profession"),
               ("referrer_organisation", "referrer.organisation"), ("setting", "setting"),
               ("expected_discharge_date", "expected_discharge_date"), ("consent", "consent"))


def csv_cell(value) -> str:
    """Plain text; a leading = + - @ would be a formula to a spreadsheet, so it is quoted away."""
    if isinstance(value, (date, datetime)):
        value = iso(value)
    text = "" if value is None else ("yes" if value is True else "no" if value is False else str(value))
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_row(r: Referral) -> list[str]:
    safeguarding = any(label == "Safeguarding" for _css, label in badges(r))
    return [csv_cell(getattr(r, FIELDS[path].column) if path else safeguarding) for _header, path in CSV_COLUMNS]


@bp.get("/export.csv")
@login_required
def export_csv():
    """The filtered queue for the service's own reporting: no patient names, identifiers or dates of birth."""
    definition = service()
    query = referrals.matching(request.args, definition)
    part = page_arg()
    db = session()
    parts = pages_of(referrals.count(db, query), EXPORT_ROWS)
    exported = list(db.scalars(query.limit(EXPORT_ROWS).offset((part - 1) * EXPORT_ROWS)))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header for header, _path in CSV_COLUMNS)
    writer.writerows(_csv_row(r) for r in exported)
    audit(db, g.actor, "referrals.exported", format="csv", filters=referrals.given_filters(request.args),
          part=part, count=len(exported))
    for r in exported:  # so each referral's own history shows it left the case store
        audit(db, g.actor, "referral.exported", referral_id=r.id, format="csv")
    db.commit()
    stamp = now().astimezone(definition.timezone).strftime("%Y-%m-%d")
    name = definition.short_name.lower().replace(" ", "-")
    of = f"-part-{part}-of-{parts}" if parts > 1 else ""
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}-referrals-{stamp}{of}.csv"'})
