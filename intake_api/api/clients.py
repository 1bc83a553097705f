"""POST /api/clients/lookup : has the service supported this person before? The patient identifier (posted as
``nhs_number``) is checked in the service's scheme: NHS number, or CHI number in Scotland.

A returning client found for a conversation is recorded as that conversation's verification: a referral
from a member of the public must name it (intake_api/verifications.py)."""
from __future__ import annotations

from flask import jsonify

from referral_rules import validation
from referral_rules.clock import now

from .. import body, verifications
from ..auth import service_only
from ..limits import LOOKUPS_OVERALL, LOOKUPS_PER_CONVERSATION, conversation_key, limiter, whole_line
from ..lookups import find_returning_client
from ..store import audit, service, session
from . import bp


@bp.post("/clients/lookup")
@service_only
@limiter.limit(LOOKUPS_PER_CONVERSATION, key_func=conversation_key)
@limiter.limit(LOOKUPS_OVERALL, key_func=whole_line)
def lookup_client():
    data = body.json_object()
    conversation = body.text(data, "conversation_id", max_length=200)
    nhs_number = validation.patient_identifier(body.text(data, "nhs_number"), service().patient_identifier.scheme)
    moment = now()
    born = validation.date_of_birth(body.text(data, "date_of_birth"), moment.date())
    db = session()
    client = find_returning_client(db, nhs_number, born)
    audit(db, "service", "client.lookup", returning_client=client is not None)
    if client is None:
        db.commit()
        return jsonify({"returning_client": False})
    proof = verifications.record(db, "returning_client", conversation, moment, client_id=client.id)
    db.commit()
    last = client.episodes[-1]
    return jsonify({"returning_client": True, "verification": proof,
                    "last_episode": {"service": last.service, "ended": last.ended.isoformat()}})
