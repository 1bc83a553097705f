"""A referral as a FHIR R4 Bundle, for staff (token, or the console's logged-in session)."""
from __future__ import annotations

from flask import Response, g

from ..app import service
from ..auth import staff_only
from ..fhir_bundle import referral_bundle
from ..models import Referrer
from ..store import audit, session
from . import bp
from .referrals import referral_or_404


@bp.get("/referrals/<int:referral_id>/fhir")
@staff_only
def referral_fhir(referral_id: int):
    db = session()
    referral = referral_or_404(db, referral_id)
    referrer = db.get(Referrer, referral.referrer_id) if referral.referrer_id else None
    bundle = referral_bundle(referral, referrer, service())
    audit(db, g.actor, "referral.exported", referral_id=referral.id, format="fhir")
    db.commit()
    return Response(bundle.model_dump_json(), mimetype="application/fhir+json", headers={
        "Content-Disposition": f'attachment; filename="{referral.reference}.fhir.json"'})
