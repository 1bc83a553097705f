"""GET /api/routing?postcode=... : which borough, in area or not, and its adult social care contacts (each with
its phone, or null where none is published; none at all where the file lists none)."""
from flask import jsonify, request

from referral_rules import validation

from ..auth import service_only
from ..errors import ApiError
from ..store import service
from . import bp


def route_postcode(raw: str) -> dict:
    """Routing for a full postcode; raises validation.Invalid for a malformed or unknown one."""
    postcode, authority = validation.known_postcode(raw)
    borough = service().borough(authority)
    return {
        "postcode": postcode,
        "borough": borough.as_dict() if borough else {"code": authority, "name": None},
        "in_area": borough is not None,
        "contacts": [c.as_dict() for c in borough.adult_social_care] if borough else [],
    }


@bp.get("/routing")
@service_only
def routing():
    raw = request.args.get("postcode", "").strip()
    if not raw:
        raise ApiError(400, "missing_field", "Give the full postcode, as ?postcode=W2 4RJ.", field="postcode")
    return jsonify(route_postcode(raw))
