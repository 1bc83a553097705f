"""GET /api/routing?postcode=... : which borough, in area or not, and its adult social care contacts (each with
its phone, or null where none is published; none at all where the file lists none). Outside the area, the
local authority's name and the council that runs adult social care there, where the ONS data names them."""
from flask import jsonify, request

from referral_rules import validation

from ..auth import service_only
from ..errors import ApiError
from ..lookups import local_authority
from ..store import service
from . import bp


def route_postcode(raw: str) -> dict:
    """Routing for a full postcode; raises validation.Invalid for a malformed or unknown one."""
    postcode, code = validation.known_postcode(raw)
    borough = service().borough(code)
    known = local_authority(code)
    name = borough.name if borough else known.name if known else None
    return {
        "postcode": postcode,
        "borough": borough.as_dict() if borough else {"code": code, "name": name},
        "council": ({"code": known.council_code, "name": known.council_name} if known
                    else {"code": code, "name": name}),
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
