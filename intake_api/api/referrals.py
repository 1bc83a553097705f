"""Referrals: the action server stores them (idempotently); staff list, read and triage them."""
from __future__ import annotations

import hashlib
import logging
import json
import re
import secrets
from datetime import date, datetime, time, timedelta

from flask import g, jsonify, request
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import body
from ..app import service
from ..auth import service_only, staff_only
from ..clock import now
from ..errors import ApiError
from ..models import STATUSES, TRANSITIONS, AuditEntry, Referral
from ..referral_payload import CHANNELS, parse_incomplete, parse_referral
from ..serialise import audit_dict, referral_dict
from ..store import audit, session
from . import bp

log = logging.getLogger(__name__)

# Letters and digits that survive being read out over a phone line (no I/O/S/Z/0/1/2/5).
_SPEAKABLE_LETTERS = "ACDEFHJKLMNPRTUVWXY"
_SPEAKABLE_DIGITS = "346789"


def new_reference() -> str:
    letters = "".join(secrets.choice(_SPEAKABLE_LETTERS) for _ in range(2))
    digits = "".join(secrets.choice(_SPEAKABLE_DIGITS) for _ in range(4))
    return f"{letters}{digits}"


def _fingerprint(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _replay(db, key: str, fingerprint: str):
    existing = db.scalar(select(Referral).where(Referral.idempotency_key == key))
    if existing is None:
        return None
    log.info("referral %s: repeat of a stored request", existing.reference)
    if existing.request_fingerprint != fingerprint:
        raise ApiError(409, "idempotency_conflict", "That Idempotency-Key was already used for a different referral.")
    return jsonify(referral_dict(existing)), 200


@bp.post("/referrals")
@service_only
def create_referral():
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key or len(key) > 200:
        raise ApiError(400, "missing_idempotency_key", "An Idempotency-Key header (the conversation id) is required.")
    data = body.json_object()
    fingerprint = _fingerprint(data)
    db = session()
    replay = _replay(db, key, fingerprint)
    if replay:
        return replay

    definition = service()
    received = now()
    incomplete = body.choice(data, "status", ("new", "incomplete"), required=False) == "incomplete"
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
            return jsonify(referral_dict(referral)), 201
        except IntegrityError:
            db.rollback()
            replay = _replay(db, key, fingerprint)  # a concurrent request with the same key won
            if replay:
                return replay
            # otherwise the reference collided: draw another
    raise ApiError(503, "busy", "Could not allocate a referral reference; please retry with the same Idempotency-Key.")


def _date_arg(name: str) -> date | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ApiError(400, "invalid_date", f"{name} must be a date like 2026-11-24.", field=name) from None


def _choice_arg(name: str, allowed) -> str | None:
    raw = request.args.get(name)
    if raw and raw not in allowed:
        raise ApiError(400, "invalid_choice", f"{name} must be one of: {', '.join(allowed)}.", field=name)
    return raw or None


def _int_arg(name: str, default: int, highest: int) -> int:
    raw = request.args.get(name, str(default))
    if not re.fullmatch(r"[0-9]{1,12}", raw) or int(raw) > highest:
        raise ApiError(400, "invalid_number", f"{name} must be a whole number up to {highest}.", field=name)
    return int(raw)


FILTERS = ("status", "service", "borough", "channel", "from", "to")
LIST_LIMIT = 100


def filter_args() -> dict:
    """The filters the request gave, as given (for the audit log)."""
    return {name: request.args[name] for name in FILTERS if request.args.get(name)}


def filtered_referrals_query():
    """The staff queue's query, from the request's filters: status, service, borough, channel, from, to."""
    definition = service()
    query = select(Referral)
    for column, value in (
        (Referral.status, _choice_arg("status", STATUSES)),
        (Referral.service, _choice_arg("service", tuple(definition.services))),
        (Referral.borough_code, _choice_arg("borough", tuple(definition.boroughs))),
        (Referral.channel, _choice_arg("channel", CHANNELS)),
    ):
        if value:
            query = query.where(column == value)
    tz = definition.timezone
    start, end = _date_arg("from"), _date_arg("to")
    if start:
        query = query.where(Referral.received_at >= datetime.combine(start, time(), tz))
    if end:
        query = query.where(Referral.received_at < datetime.combine(end + timedelta(days=1), time(), tz))
    return query


@bp.get("/referrals")
@staff_only
def list_referrals():
    """Newest first. Every referral returned is a read of identifiable data: one audit entry for the list and
    one in each referral's own history, as the CSV export writes."""
    query = filtered_referrals_query()
    limit, offset = _int_arg("limit", 50, LIST_LIMIT), _int_arg("offset", 0, 10**9)
    db = session()
    total = db.scalar(select(func.count()).select_from(query.subquery()))
    rows = list(db.scalars(query.order_by(Referral.received_at.desc(), Referral.id.desc()).limit(limit).offset(offset)))
    audit(db, g.actor, "referrals.listed", filters=filter_args(), limit=limit, offset=offset, count=len(rows))
    for r in rows:
        audit(db, g.actor, "referral.listed", referral_id=r.id)
    db.commit()
    return jsonify({"count": total, "referrals": [referral_dict(r) for r in rows]})


def referral_or_404(db, referral_id: int) -> Referral:
    referral = db.get(Referral, referral_id)
    if referral is None:
        raise ApiError(404, "not_found", f"There is no referral {referral_id}.")
    return referral


def referral_with_history(db, referral: Referral) -> dict:
    history = db.scalars(select(AuditEntry).where(AuditEntry.referral_id == referral.id).order_by(AuditEntry.id))
    return {**referral_dict(referral), "history": [audit_dict(e) for e in history]}


@bp.get("/referrals/<int:referral_id>")
@staff_only
def get_referral(referral_id: int):
    db = session()
    referral = referral_or_404(db, referral_id)
    audit(db, g.actor, "referral.viewed", referral_id=referral.id)
    db.commit()
    return jsonify(referral_with_history(db, referral))


@bp.patch("/referrals/<int:referral_id>")
@staff_only
def change_status(referral_id: int):
    data = body.json_object()
    new_status = body.choice(data, "status", STATUSES)
    note = body.text(data, "note", max_length=4000)
    db = session()
    referral = referral_or_404(db, referral_id)
    if new_status not in TRANSITIONS[referral.status]:
        allowed = ", ".join(TRANSITIONS[referral.status]) or "nothing (it is closed)"
        raise ApiError(409, "invalid_transition",
                       f"A {referral.status} referral can move to {allowed}, not {new_status}.")
    audit(db, g.actor, "referral.status_changed", referral_id=referral.id,
          **{"from": referral.status, "to": new_status, "note": note})
    referral.status = new_status
    db.commit()
    return jsonify(referral_with_history(db, referral))
