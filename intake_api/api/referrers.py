"""POST /api/referrers/verify : is this a registered professional with the right PIN?

Lock-outs are exact however fast attempts arrive: each attempt first claims one of the registration's
allowed tries with a single atomic UPDATE (api/attempts.py), before the slow PIN hash is checked, so
twenty wrong PINs at once get at most three checked; only a wrong PIN locks, so right PINs checked at the
same moment never do (one that finds every try taken is told to try again, 503). Unknown registrations are counted and
locked the same way, so after three failures a locked and an unknown registration look the same.
"""
from __future__ import annotations

import logging
import re

from flask import jsonify

from referral_rules import validation
from referral_rules.clock import now
from referral_rules.service_definition import ServiceDefinition

from .. import body, verifications
from ..auth import service_only
from ..errors import ApiError
from ..limits import PIN_CHECKS_OVERALL, PIN_CHECKS_PER_CONVERSATION, conversation_key, limiter, whole_line
from ..lookups import find_referrer
from ..models import Referrer
from ..security import check_pin
from ..store import audit, service, session
from . import bp
from .attempts import claim_attempt, clear_failures, is_locked, lock

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


def _locked_error(definition: ServiceDefinition) -> ApiError:
    return ApiError(423, "locked", f"Too many failed attempts: this registration is locked for "
                                   f"{definition.lockout_minutes} minutes. Please call the {definition.referral_line}.")


@bp.post("/referrers/verify")
@service_only
@limiter.limit(PIN_CHECKS_PER_CONVERSATION, key_func=conversation_key)
@limiter.limit(PIN_CHECKS_OVERALL, key_func=whole_line)
def verify_referrer():
    data = body.json_object()
    conversation = body.text(data, "conversation_id", max_length=200)
    registration_body = validation.registration_body(body.text(data, "registration_body"),
                                                     service().registration_bodies)
    number = validation.registration_number(registration_body, body.text(data, "registration_number"))
    pin = body.text(data, "pin", max_length=20)
    if not re.fullmatch(r"[0-9]{6}", pin):
        raise ApiError(422, "invalid_pin", "A PIN is 6 digits.", field="pin")

    db = session()
    definition = service()
    moment = now()
    who = {"registration_body": registration_body, "registration_number": number}
    failures = claim_attempt(db, registration_body, number, moment, definition)
    referrer = find_referrer(db, registration_body, number)
    referrer_id = referrer.id if referrer else None
    if failures is None and not is_locked(db, registration_body, number, moment):
        # Every allowed try is being checked at this moment; none has failed yet, so this is no lock-out.
        raise ApiError(503, "checks_in_progress", "This registration is being checked already. Please try again "
                                                  "in a moment.", retry_after_seconds=2)
    if failures is None:
        audit(db, "service", "referrer.verify_refused_locked", referrer_id=referrer_id, **who)
        db.commit()
        raise _locked_error(definition)

    if check_pin(referrer.pin_hash if referrer else None, pin) and referrer.active:
        clear_failures(db, registration_body, number)
        proof = verifications.record(db, "referrer", conversation, moment, referrer_id=referrer.id)
        audit(db, "service", "referrer.verified", referrer_id=referrer_id, **who)
        db.commit()
        return jsonify({"referrer": referrer_summary(referrer), "verification": proof})

    locked = failures >= definition.lockout_attempts
    if locked:
        lock(db, registration_body, number, moment, definition)
    audit(db, "service", "referrer.verify_failed", referrer_id=referrer_id, locked=locked, **who)
    log.info("verification failed for %s %s%s", registration_body, number, " (now locked)" if locked else "")
    db.commit()
    if locked:
        raise _locked_error(definition)
    raise ApiError(401, "not_verified", NOT_VERIFIED)
