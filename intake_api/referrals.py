"""A referral's life in the case store: stored exactly once, moved along its statuses with a note, found by
the staff's filters, and its history. The JSON API and the staff console both call these; neither has rules
of its own about referrals.
"""
from __future__ import annotations

import hashlib
import json
import logging
import secrets
from datetime import date, datetime, time, timedelta
from typing import Mapping

from sqlalchemy import Select, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from referral_rules.clock import now
from referral_rules.contract import CHANNELS, STATUSES
from referral_rules.service_definition import ServiceDefinition
from referral_rules.validation import MAX_LENGTH

from . import body, callbacks
from .errors import ApiError
from .models import AuditEntry, Referral
from .referral_payload import POSTED_STATUSES, parse_incomplete, parse_referral, referral_details, referrer_rule_kind
from .store import audit

log = logging.getLogger(__name__)

# Staff may move a referral only along these edges.
TRANSITIONS = {
    "incomplete": ("triaged", "declined"),
    "new": ("triaged",),
    "triaged": ("accepted", "declined", "redirected"),
    "accepted": (),
    "declined": (),
    "redirected": (),
}
FILTERS = ("status", "service", "borough", "channel", "from", "to")

# Letters and digits that survive being read out over a phone line (no I/O/S/Z/0/1/2/5).
_SPEAKABLE_LETTERS = "ACDEFHJKLMNPRTUVWXY"
_SPEAKABLE_DIGITS = "346789"


def new_reference() -> str:
    letters = "".join(secrets.choice(_SPEAKABLE_LETTERS) for _ in range(2))
    digits = "".join(secrets.choice(_SPEAKABLE_DIGITS) for _ in range(4))
    return f"{letters}{digits}"


# --- Stored exactly once -------------------------------------------------------------------------------------

def idempotency_key(raw: str | None) -> str:
    key = (raw or "").strip()
    if not key or len(key) > 200:
        raise ApiError(400, "missing_idempotency_key", "An Idempotency-Key header (the conversation id) is required.")
    return key


def _fingerprint(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _stored_before(db: Session, key: str, fingerprint: str) -> Referral | None:
    existing = db.scalar(select(Referral).where(Referral.idempotency_key == key))
    if existing is None:
        return None
    log.info("referral %s: repeat of a stored request", existing.reference)
    if existing.request_fingerprint != fingerprint:
        raise ApiError(409, "idempotency_conflict", "That Idempotency-Key was already used for a different referral.")
    return existing


def create(db: Session, key: str, data: dict, definition: ServiceDefinition) -> tuple[Referral, bool]:
    """Store the posted referral (or incomplete intake) with its audit entry in one transaction; a repeat of
    the same request with the same key gives back the referral stored before. Returns it and whether it is new."""
    fingerprint = _fingerprint(data)
    existing = _stored_before(db, key, fingerprint)
    if existing:
        return existing, False
    received = now()
    incomplete = body.choice(data, "status", POSTED_STATUSES, required=False) == "incomplete"
    fields = (parse_incomplete if incomplete else parse_referral)(db, data, definition, received)
    for _attempt in range(5):
        referral = Referral(**fields, reference=new_reference(), idempotency_key=key, request_fingerprint=fingerprint,
                            status="incomplete" if incomplete else "new", received_at=received,
                            out_of_hours=not definition.is_open(received))
        db.add(referral)
        try:
            db.flush()
            audit(db, "service", "referral.created", referral_id=referral.id, reference=referral.reference,
                  channel=referral.channel)
            db.commit()
            log.info("referral %s stored (%s, %s, %s)", referral.reference, referral.service, referral.channel,
                     referral.borough_code)
            return referral, True
        except IntegrityError:
            db.rollback()
            existing = _stored_before(db, key, fingerprint)  # a concurrent request with the same key won
            if existing:
                return existing, False
            # otherwise the reference collided: draw another
    raise ApiError(503, "busy", "Could not allocate a referral reference; please retry with the same Idempotency-Key.")


# --- Status ----------------------------------------------------------------------------------------------------

def note_from(fields: Mapping) -> str | None:
    """The note of a status change, from a JSON body or a form: text within the limit, or None if none."""
    return body.text({"note": fields.get("note")}, "note", required=False, max_length=MAX_LENGTH["note"])


def change_status(db: Session, referral: Referral, new_status: str, note: str | None, actor: str) -> None:
    """Move the referral along an allowed edge. Every status change needs a note saying why (SPEC section 6);
    ``note`` as ``note_from`` reads it."""
    allowed = TRANSITIONS.get(referral.status, ())
    if new_status not in allowed:
        raise ApiError(409, "invalid_transition",
                       f"Referral {referral.reference} is {referral.status}: it can move to "
                       f"{', '.join(allowed) or 'nothing (it is closed)'}, not {new_status or 'an empty status'}.")
    if not note:
        raise ApiError(422, "note_required", "A status change needs a note saying why.", field="note")
    audit(db, actor, "referral.status_changed", referral_id=referral.id,
          **{"from": referral.status, "to": new_status, "note": note})
    referral.status = new_status
    db.commit()


# --- Completing an incomplete intake -----------------------------------------------------------------------

def complete(db: Session, referral: Referral, data: dict, definition: ServiceDefinition,
             actor: str) -> dict[str, Exception]:
    """Complete an incomplete intake with ``data`` (the details of a referral as the API takes them: service,
    patient, clinical picture), read by the same rules as a posted referral, its routing worked out the same
    way. The referrer stays the professional who passed their PIN check. Returns each field's error by its path,
    changing nothing, or nothing when the referral is now "new" (audited as referral.completed)."""
    if referral.status != "incomplete":
        raise ApiError(409, "not_incomplete", f"Referral {referral.reference} is {referral.status}, not an "
                                              f"incomplete intake: there is nothing to complete.")
    fields, errors = referral_details(data, definition, now().date(),
                                      referrer_rule_kind(referral.referrer_profession, definition),
                                      identifier_required=referral.referrer_kind == "returning_client", collect=True)
    if errors:
        return errors
    claimed = db.execute(update(Referral).where(Referral.id == referral.id, Referral.status == "incomplete")
                         .values(status="new")).rowcount
    if claimed != 1:  # completed by someone else since it was read
        db.rollback()
        raise ApiError(409, "not_incomplete", f"Referral {referral.reference} has just been completed or changed "
                                              f"by someone else.")
    for column, value in fields.items():
        setattr(referral, column, value)
    referral.status = "new"
    callbacks.close_completed_intake(db, referral)
    audit(db, actor, "referral.completed", referral_id=referral.id, reference=referral.reference)
    db.commit()
    log.info("referral %s completed from the console", referral.reference)
    return {}


# --- Finding referrals ---------------------------------------------------------------------------------------

def get(db: Session, referral_id: int) -> Referral:
    referral = db.get(Referral, referral_id)
    if referral is None:
        raise ApiError(404, "not_found", f"There is no referral {referral_id}.")
    return referral


def given_filters(args: Mapping[str, str]) -> dict:
    """The filters a request gave, as given (for the audit log and the queue's form)."""
    return {name: args[name] for name in FILTERS if args.get(name)}


def _choice_arg(args: Mapping[str, str], name: str, allowed) -> str | None:
    raw = args.get(name)
    if raw and raw not in allowed:
        raise ApiError(400, "invalid_choice", f"{name} must be one of: {', '.join(allowed)}.", field=name)
    return raw or None


def _date_arg(args: Mapping[str, str], name: str) -> date | None:
    raw = args.get(name)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ApiError(400, "invalid_date", f"{name} must be a date like 2026-11-24.", field=name) from None


def matching(args: Mapping[str, str], definition: ServiceDefinition) -> Select:
    """Referrals matching the filters (status, service, borough, channel, from, to: local days), newest first.
    The API's list, the console's queue and the CSV export all use it; a bad filter is a 400 naming it."""
    query = select(Referral)
    for column, value in (
        (Referral.status, _choice_arg(args, "status", tuple(STATUSES))),
        (Referral.service, _choice_arg(args, "service", tuple(definition.services))),
        (Referral.borough_code, _choice_arg(args, "borough", tuple(definition.boroughs))),
        (Referral.channel, _choice_arg(args, "channel", tuple(CHANNELS))),
    ):
        if value:
            query = query.where(column == value)
    tz = definition.timezone
    start, end = _date_arg(args, "from"), _date_arg(args, "to")
    if start:
        query = query.where(Referral.received_at >= datetime.combine(start, time(), tz))
    if end:
        query = query.where(Referral.received_at < datetime.combine(end + timedelta(days=1), time(), tz))
    return query.order_by(*_NEWEST_FIRST)


_NEWEST_FIRST = (Referral.received_at.desc(), Referral.id.desc())


def newest_first(condition) -> Select:
    """Referrals meeting a condition, in the queue's order."""
    return select(Referral).where(condition).order_by(*_NEWEST_FIRST)


def count(db: Session, query: Select) -> int:
    return db.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


# --- History ---------------------------------------------------------------------------------------------------

def history(db: Session, referral: Referral, newest_first: bool = False) -> list[AuditEntry]:
    order = AuditEntry.id.desc() if newest_first else AuditEntry.id
    return list(db.scalars(select(AuditEntry).where(AuditEntry.referral_id == referral.id).order_by(order)))


def record(db: Session, actor: str, action: str, referral: Referral, **detail) -> None:
    """Note in the referral's history that someone viewed or exported it, and commit."""
    audit(db, actor, action, referral_id=referral.id, **detail)
    db.commit()
