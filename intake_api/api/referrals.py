"""Referrals: the action server stores them (idempotently); staff list, read and triage them.
What a referral may do is intake_api/referrals.py's; this is the JSON over HTTP."""
from __future__ import annotations

import re

from flask import g, jsonify, request

from referral_rules.contract import STATUSES

from .. import body, referrals
from ..auth import service_only, staff_only
from ..errors import ApiError
from ..serialise import referral_dict, with_history
from ..store import audit, service, session
from . import bp

LIST_LIMIT = 100


@bp.post("/referrals")
@service_only
def create_referral():
    key = referrals.idempotency_key(request.headers.get("Idempotency-Key"))
    referral, created = referrals.create(session(), key, body.json_object(), service())
    return jsonify(referral_dict(referral)), 201 if created else 200


def _int_arg(name: str, default: int, highest: int) -> int:
    raw = request.args.get(name, str(default))
    if not re.fullmatch(r"[0-9]{1,12}", raw) or int(raw) > highest:
        raise ApiError(400, "invalid_number", f"{name} must be a whole number up to {highest}.", field=name)
    return int(raw)


@bp.get("/referrals")
@staff_only
def list_referrals():
    """Newest first. Every referral returned is a read of identifiable data: one audit entry for the list and
    one in each referral's own history, as the CSV export writes."""
    query = referrals.matching(request.args, service())
    limit, offset = _int_arg("limit", 50, LIST_LIMIT), _int_arg("offset", 0, 10**9)
    db = session()
    total = referrals.count(db, query)
    rows = list(db.scalars(query.limit(limit).offset(offset)))
    audit(db, g.actor, "referrals.listed", filters=referrals.given_filters(request.args), limit=limit, offset=offset,
          count=len(rows))
    for r in rows:
        audit(db, g.actor, "referral.listed", referral_id=r.id)
    db.commit()
    return jsonify({"count": total, "referrals": [referral_dict(r) for r in rows]})


@bp.get("/referrals/<int:referral_id>")
@staff_only
def get_referral(referral_id: int):
    db = session()
    referral = referrals.get(db, referral_id)
    referrals.record(db, g.actor, "referral.viewed", referral)
    return jsonify(with_history(referral, referrals.history(db, referral)))


@bp.patch("/referrals/<int:referral_id>")
@staff_only
def change_status(referral_id: int):
    data = body.json_object()
    new_status = body.choice(data, "status", tuple(STATUSES))
    note = referrals.note_from(data)
    db = session()
    referral = referrals.get(db, referral_id)
    referrals.change_status(db, referral, new_status, note, g.actor)
    return jsonify(with_history(referral, referrals.history(db, referral)))
