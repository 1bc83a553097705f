"""A referral as a FHIR R4 Bundle, for staff (token, or the console's logged-in session)."""
from __future__ import annotations

from flask import Response, g

from .. import referrals
from ..auth import staff_only
from ..fhir_bundle import referral_bundle
from ..store import service, session
from . import bp


@bp.get("/referrals/<int:referral_id>/fhir")
@staff_only
def referral_fhir(referral_id: int):
    db = session()
    referral = referrals.get(db, referral_id)
    bundle = referral_bundle(referral, service())
    referrals.record(db, g.actor, "referral.exported", referral, format="fhir")
    return Response(bundle.model_dump_json(), mimetype="application/fhir+json", headers={
        "Content-Disposition": f'attachment; filename="{referral.reference}.fhir.json"'})
