"""How the line is doing, for a range of local days: referrals a day by channel and by service, declined contacts
by reason, the time from receipt to the first status change (triage), and telephone calls that ended part way.
Charts drawn on the server (templates/staff/charts.html), each with its figures as a table, and the same figures
as CSV. Only counts and durations: nothing here names or identifies a patient."""
from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Iterable, Mapping

from flask import Response, g, render_template, request
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from referral_rules.clock import now
from referral_rules.contract import CHANNELS
from referral_rules.service_definition import ServiceDefinition

from .. import referrals
from ..errors import ApiError
from ..models import AuditEntry, DeclinedContact, Referral
from ..store import audit, service, session
from . import bp
from .charts import GREY, PALETTE, Bar, BarFigure, DailyFigure, Series, duration, daily_summary, long_day, plural
from .queue import csv_cell
from .sessions import login_required

DEFAULT_DAYS = 28
MOST_DAYS = 366
NOT_RECORDED = "not_recorded"
# Time to first triage, in bands a team talks in: (upper bound in hours, label); the last has no bound.
TRIAGE_BANDS = ((1, "under_1h", "under 1 hour"), (4, "1h_to_4h", "1 to 4 hours"), (24, "4h_to_24h", "4 to 24 hours"),
                (72, "1d_to_3d", "1 to 3 days"), (None, "over_3d", "over 3 days"))


@dataclass(frozen=True)
class TriageTimes:
    """Referrals received in the range: how long each waited for its first status change (in seconds)."""

    median: float | None
    p90: float | None
    triaged: int
    waiting: int
    bands: BarFigure


@dataclass(frozen=True)
class Figures:
    start: date
    end: date
    by_channel: DailyFigure
    by_service: DailyFigure
    declined: BarFigure
    triage: TriageTimes
    dropped: DailyFigure

    @property
    def referrals(self) -> int:
        return sum(self.by_channel.totals)

    @property
    def declined_total(self) -> int:
        return sum(b.value for b in self.declined.bars)

    @property
    def dropped_total(self) -> int:
        return sum(self.dropped.totals)


# --- The range ----------------------------------------------------------------------------------------------------

def date_range(args: Mapping[str, str], definition: ServiceDefinition) -> tuple[date, date]:
    """The local days asked for (from, to), by default the last 28 ending today; a bad one is a 400 naming it."""
    today = now().astimezone(definition.timezone).date()
    end = referrals._date_arg(args, "to") or today
    start = referrals._date_arg(args, "from") or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise ApiError(400, "invalid_range", "from must be on or before to.", field="from")
    if (end - start).days >= MOST_DAYS:
        raise ApiError(400, "invalid_range", f"The dates can span at most {MOST_DAYS} days.", field="from")
    return start, end


def _moments(start: date, end: date, definition: ServiceDefinition) -> tuple[datetime, datetime]:
    """The range's local days as [first moment, moment after the last)."""
    tz = definition.timezone
    return datetime.combine(start, time(), tz), datetime.combine(end + timedelta(days=1), time(), tz)


def _days(start: date, end: date) -> tuple[date, ...]:
    return tuple(start + timedelta(days=i) for i in range((end - start).days + 1))


# --- The measures -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Received:
    """What the figures read of a referral received in the range: nothing that identifies anyone."""

    id: int
    day: date
    received_at: datetime
    channel: str
    service: str | None
    status: str


def _received(db: Session, start: date, end: date, definition: ServiceDefinition) -> list[_Received]:
    first, after = _moments(start, end, definition)
    rows = db.execute(select(Referral.id, Referral.received_at, Referral.channel, Referral.service, Referral.status)
                      .where(Referral.received_at >= first, Referral.received_at < after))
    tz = definition.timezone
    return [_Received(rid, at.astimezone(tz).date(), at, channel, svc, status)
            for rid, at, channel, svc, status in rows]


def _first_status_changes(db: Session, start: date, end: date,
                          definition: ServiceDefinition) -> dict[int, tuple[datetime, str | None]]:
    """Each referral received in the range that staff have moved on: its first status change's time and the
    status it moved from."""
    first, after = _moments(start, end, definition)
    in_range = select(Referral.id).where(Referral.received_at >= first, Referral.received_at < after)
    rows = db.execute(select(AuditEntry.referral_id, AuditEntry.at, AuditEntry.detail)
                      .where(AuditEntry.action == "referral.status_changed", AuditEntry.referral_id.in_(in_range))
                      .order_by(AuditEntry.at, AuditEntry.id))
    changes: dict[int, tuple[datetime, str | None]] = {}
    for rid, at, detail in rows:
        changes.setdefault(rid, (at, (detail or {}).get("from")))
    return changes


def _daily(days: tuple[date, ...], counts: Counter, keys: Iterable[tuple[str, str, str]], what: str) -> DailyFigure:
    series = tuple(Series(key, label, colour, tuple(counts[(day, key)] for day in days))
                   for key, label, colour in keys)
    return DailyFigure(days, series, daily_summary(days, series, what))


def by_channel(days: tuple[date, ...], received: list[_Received]) -> DailyFigure:
    counts = Counter((r.day, r.channel) for r in received)
    keys = [(key, label[:1].upper() + label[1:], PALETTE[i % len(PALETTE)])
            for i, (key, label) in enumerate(CHANNELS.items())]
    keys += [(key, key, GREY) for key in sorted({r.channel for r in received} - set(CHANNELS))]
    return _daily(days, counts, keys, "referral")


def by_service(days: tuple[date, ...], received: list[_Received], definition: ServiceDefinition) -> DailyFigure:
    counts = Counter((r.day, r.service or NOT_RECORDED) for r in received)
    keys = [(key, svc.name, PALETTE[i % len(PALETTE)]) for i, (key, svc) in enumerate(definition.services.items())]
    stored = {r.service or NOT_RECORDED for r in received}
    keys += [(key, key, GREY) for key in sorted(stored - set(definition.services) - {NOT_RECORDED})]
    if NOT_RECORDED in stored:
        keys.append((NOT_RECORDED, "Service not recorded", GREY))
    return _daily(days, counts, keys, "referral")


def declined_by_reason(db: Session, start: date, end: date, definition: ServiceDefinition) -> BarFigure:
    first, after = _moments(start, end, definition)
    rows = db.execute(select(DeclinedContact.reason, func.count())
                      .where(DeclinedContact.at >= first, DeclinedContact.at < after)
                      .group_by(DeclinedContact.reason))
    bars = tuple(sorted((Bar(reason, reason.replace("_", " "), n) for reason, n in rows),
                        key=lambda b: (-b.value, b.label)))
    total = sum(b.value for b in bars)
    summary = (f"{plural(total, 'declined contact')}: "
               + "; ".join(f"{b.label}, {b.value}" for b in bars) + ".") if bars else "No declined contacts."
    return BarFigure(bars, PALETTE[0], summary)


def centiles(waits: list[float]) -> tuple[float | None, float | None]:
    """The median and the 90th centile (inclusive method: within the waits seen)."""
    if not waits:
        return None, None
    if len(waits) == 1:
        return waits[0], waits[0]
    return statistics.median(waits), statistics.quantiles(waits, n=10, method="inclusive")[-1]


def triage_times(received: list[_Received], changes: Mapping[int, tuple[datetime, str | None]]) -> TriageTimes:
    waits = sorted(max(0.0, (changes[r.id][0] - r.received_at).total_seconds()) for r in received if r.id in changes)
    median, p90 = centiles(waits)
    banded = Counter(next(key for hours, key, _label in TRIAGE_BANDS if hours is None or wait < hours * 3600)
                     for wait in waits)
    bars = tuple(Bar(key, label, banded[key]) for _hours, key, label in TRIAGE_BANDS)
    waiting = len(received) - len(waits)
    if waits:
        summary = (f"{plural(len(waits), 'referral')} triaged: "
                   + "; ".join(f"{b.label}, {b.value}" for b in bars) + f". {waiting} still waiting.")
    else:
        summary = f"No referral triaged yet; {waiting} waiting."
    return TriageTimes(median, p90, len(waits), waiting, BarFigure(bars, PALETTE[2], summary))


def dropped_calls(days: tuple[date, ...], received: list[_Received],
                  changes: Mapping[int, tuple[datetime, str | None]]) -> DailyFigure:
    """Telephone intakes stored incomplete (the call ended before the referral was whole). Only an intake is ever
    stored incomplete (no status change leads back to it), so: still incomplete, or first moved from incomplete."""
    dropped = Counter(r.day for r in received if r.channel == "voice" and (
        r.status == "incomplete" or (r.id in changes and changes[r.id][1] == "incomplete")))
    series = (Series("voice", "Dropped calls", PALETTE[4], tuple(dropped[day] for day in days)),)
    return DailyFigure(days, series, daily_summary(days, series, "dropped call"))


def figures_for(db: Session, start: date, end: date, definition: ServiceDefinition) -> Figures:
    days = _days(start, end)
    received = _received(db, start, end, definition)
    changes = _first_status_changes(db, start, end, definition)
    return Figures(start, end, by_channel(days, received), by_service(days, received, definition),
                   declined_by_reason(db, start, end, definition), triage_times(received, changes),
                   dropped_calls(days, received, changes))


# --- CSV ----------------------------------------------------------------------------------------------------------

CSV_HEADER = ("measure", "day", "key", "label", "value")


def _minutes(seconds: float | None) -> int | None:
    return None if seconds is None else round(seconds / 60)


def csv_rows(f: Figures) -> Iterable[tuple]:
    """One row a figure: (measure, local day or blank, key, label, value)."""
    for measure, daily in (("referrals_by_channel", f.by_channel), ("referrals_by_service", f.by_service),
                           ("dropped_calls", f.dropped)):
        for i, day in enumerate(daily.days):
            for s in daily.series:
                yield measure, day, s.key, s.label, s.values[i]
    for bar in f.declined.bars:
        yield "declined_by_reason", None, bar.key, bar.label, bar.value
    t = f.triage
    yield from (("time_to_triage", None, "median_minutes", "median, minutes", _minutes(t.median)),
                ("time_to_triage", None, "p90_minutes", "90th centile, minutes", _minutes(t.p90)),
                ("time_to_triage", None, "triaged", "referrals triaged", t.triaged),
                ("time_to_triage", None, "waiting", "referrals still waiting", t.waiting))
    for bar in t.bands.bars:
        yield "time_to_triage_bands", None, bar.key, bar.label, bar.value


# --- Pages --------------------------------------------------------------------------------------------------------

def _asked() -> tuple[ServiceDefinition, date, date]:
    definition = service()
    start, end = date_range(request.args, definition)
    return definition, start, end


@bp.get("/figures")
@login_required
def figures():
    definition, start, end = _asked()
    db = session()
    shown = figures_for(db, start, end, definition)
    audit(db, g.actor, "figures.viewed", **{"from": start.isoformat(), "to": end.isoformat()})
    db.commit()
    return render_template("staff/figures.html", f=shown, duration=duration, long_day=long_day,
                           default_days=DEFAULT_DAYS, tz=definition.timezone)


@bp.get("/figures.csv")
@login_required
def figures_csv():
    definition, start, end = _asked()
    db = session()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    writer.writerows([csv_cell(value) for value in row] for row in csv_rows(figures_for(db, start, end, definition)))
    audit(db, g.actor, "figures.exported", **{"from": start.isoformat(), "to": end.isoformat()})
    db.commit()
    name = definition.short_name.lower().replace(" ", "-")
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}-figures-{start}-to-{end}.csv"'})
