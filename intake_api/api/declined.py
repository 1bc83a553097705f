"""POST /api/declined-contacts : record someone the line had to turn away, with no patient identifiers."""
from flask import jsonify

from referral_rules import validation
from referral_rules.contract import CHANNELS

from .. import body
from ..auth import service_only
from ..models import DeclinedContact
from ..store import audit, service, session
from . import bp

DECLINE_REASONS = (
    "public_not_returning_client",  # a member of the public; the service has not supported the person before
    "public_rapid_response",        # a member of the public asking for a service the public may not use
    "not_eligible_service",         # a professional asking for a service their kind cannot refer to
    "out_of_area",                  # the patient lives outside the service's boroughs
    "no_consent",                   # no consent and no best-interests decision
)


@bp.post("/declined-contacts")
@service_only
def record_declined_contact():
    data = body.json_object()
    reason = body.choice(data, "reason", DECLINE_REASONS)
    channel = body.choice(data, "channel", tuple(CHANNELS))
    svc = body.choice(data, "service", tuple(service().services), required=False)
    raw_postcode = body.text(data, "postcode", required=False, max_length=20)
    borough_code = None
    if raw_postcode:  # only the borough is kept, never the postcode
        borough_code = validation.known_postcode(raw_postcode)[1]
    contact = DeclinedContact(reason=reason, channel=channel, service=svc, borough_code=borough_code,
                              conversation_id=body.text(data, "conversation_id", required=False, max_length=200))
    db = session()
    db.add(contact)
    db.flush()
    audit(db, "service", "declined_contact.recorded", declined_contact_id=contact.id, reason=reason)
    db.commit()
    return jsonify({"id": contact.id, "reason": reason, "borough_code": borough_code}), 201
