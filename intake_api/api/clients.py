"""POST /api/clients/lookup : has CIS supported this person before?"""
from __future__ import annotations

from flask import jsonify

from .. import body, validation
from ..auth import service_only
from ..clock import now
from ..lookups import find_returning_client
from ..store import audit, session
from . import bp


@bp.post("/clients/lookup")
@service_only
def lookup_client():
    data = body.json_object()
    nhs_number = validation.nhs_number(body.text(data, "nhs_number"))
    born = validation.date_of_birth(body.text(data, "date_of_birth"), now().date())
    db = session()
    client = find_returning_client(db, nhs_number, born)
    audit(db, "service", "client.lookup", returning_client=client is not None)
    db.commit()
    if client is None:
        return jsonify({"returning_client": False})
    last = client.episodes[-1]
    return jsonify({"returning_client": True,
                    "last_episode": {"service": last.service, "ended": last.ended.isoformat()}})
