"""POST /api/referrers/verify : is this a registered professional with the right PIN?"""
from __future__ import annotations

import logging
import re
from datetime import timedelta

from flask import jsonify

from .. import body, validation
from ..app import service
from ..auth import service_only
from ..clock import now
from ..errors import ApiError
from ..lookups import find_referrer
from ..models import Referrer
from ..security import check_pin
from ..store import audit, session
from . import bp

log = logging.getLogger(__name__)

NOT_VERIFIED = "We couldn't verify those details. Please check the registration number and PIN."


def referrer_summary(referrer: Referrer) -> dict:
    definition = service()
    profession = definition.professions.get(referrer.profession)
    kind = profession.kind if profession else "health_professional"
    return {
        "id": referrer.id,
        "name": referrer.name,
        "profession": referrer.profession,
        "profession_name": profession.name if profession else referrer.profession,
        "kind": kind,
        "registration_body": referrer.registration_body,
        "registration_number": referrer.registration_number,
        "organisation": referrer.organisation,
        "ods_code": referrer.ods_code,
        "phone": referrer.phone,
        "services": definition.services_for(kind),
    }


def _is_locked(referrer: Referrer | None, moment) -> bool:
    if referrer is None or referrer.locked_until is None:
        return False
    until = referrer.locked_until
    if until.tzinfo is None:  # SQLite hands back naive UTC
        until = until.replace(tzinfo=moment.tzinfo)
    return until > moment


def _locked_error(minutes: int) -> ApiError:
    return ApiError(423, "locked", f"Too many failed attempts: this registration is locked for {minutes} minutes. "
                                   "Please call the Single Point of Referral.")


@bp.post("/referrers/verify")
@service_only
def verify_referrer():
    data = body.json_object()
    registration_body = validation.registration_body(body.text(data, "registration_body"))
    number = validation.registration_number(registration_body, body.text(data, "registration_number"))
    pin = body.text(data, "pin", max_length=20)
    if not re.fullmatch(r"\d{6}", pin):
        raise ApiError(422, "invalid_pin", "A PIN is 6 digits.", field="pin")

    db = session()
    definition = service()
    moment = now()
    referrer = find_referrer(db, registration_body, number, for_update=True)
    who = {"registration_body": registration_body, "registration_number": number}
    referrer_id = referrer.id if referrer else None

    if _is_locked(referrer, moment):
        audit(db, "service", "referrer.verify_refused_locked", referrer_id=referrer_id, **who)
        db.commit()
        raise _locked_error(definition.lockout_minutes)

    if check_pin(referrer.pin_hash if referrer else None, pin) and referrer.active:
        referrer.failed_attempts, referrer.locked_until = 0, None
        audit(db, "service", "referrer.verified", referrer_id=referrer_id, **who)
        db.commit()
        return jsonify({"referrer": referrer_summary(referrer)})

    locked = False
    if referrer is not None and referrer.active:
        referrer.failed_attempts += 1
        if referrer.failed_attempts >= definition.lockout_attempts:
            referrer.failed_attempts = 0
            referrer.locked_until = moment + timedelta(minutes=definition.lockout_minutes)
            locked = True
    audit(db, "service", "referrer.verify_failed", referrer_id=referrer_id, locked=locked, **who)
    log.info("verification failed for %s %s%s", registration_body, number, " (now locked)" if locked else "")
    db.commit()
    if locked:
        raise _locked_error(definition.lockout_minutes)
    raise ApiError(401, "not_verified", NOT_VERIFIED)
