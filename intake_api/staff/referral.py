"""One referral: every captured field in clinician order, routing, the referrer, history, triage, downloads."""
from __future__ import annotations

import json

from flask import Response, g, redirect, render_template, request, url_for
from sqlalchemy import select

from ..api.referrals import referral_or_404, referral_with_history
from ..app import service
from ..errors import ApiError
from ..models import TRANSITIONS, AuditEntry, Referrer
from ..store import audit, session
from . import bp
from .flags import badges
from .sessions import login_required

NOTE_LIMIT = 4000


@bp.get("/referrals/<int:referral_id>")
@login_required
def referral_page(referral_id: int):
    db = session()
    referral = referral_or_404(db, referral_id)
    audit(db, g.actor, "referral.viewed", referral_id=referral.id)
    db.commit()
    history = list(db.scalars(select(AuditEntry).where(AuditEntry.referral_id == referral.id)
                              .order_by(AuditEntry.id.desc())))
    referrer = db.get(Referrer, referral.referrer_id) if referral.referrer_id else None
    definition = service()
    return render_template("staff/referral.html", r=referral, badges=badges(referral), history=history,
                           referrer=referrer, transitions=TRANSITIONS[referral.status], definition=definition,
                           profession=definition.professions.get(referral.referrer_profession or ""),
                           changed=request.args.get("changed"), tz=definition.timezone)


@bp.post("/referrals/<int:referral_id>/status")
@login_required
def change_status(referral_id: int):
    db = session()
    referral = referral_or_404(db, referral_id)
    new_status = request.form.get("status", "")
    note = request.form.get("note", "").strip()
    if new_status not in TRANSITIONS[referral.status]:
        allowed = ", ".join(TRANSITIONS[referral.status]) or "nothing (it is closed)"
        raise ApiError(409, "invalid_transition",
                       f"Referral {referral.reference} is {referral.status}: it can move to {allowed}, "
                       f"not {new_status or 'an empty status'}.")
    if not note:
        raise ApiError(422, "note_required", "A status change needs a note saying why. Go back and add one.")
    if len(note) > NOTE_LIMIT:
        raise ApiError(422, "note_too_long", f"A note can be at most {NOTE_LIMIT} characters.")
    audit(db, g.actor, "referral.status_changed", referral_id=referral.id,
          **{"from": referral.status, "to": new_status, "note": note})
    referral.status = new_status
    db.commit()
    return redirect(url_for("staff.referral_page", referral_id=referral.id, changed=new_status))


@bp.get("/referrals/<int:referral_id>.json")
@login_required
def referral_json(referral_id: int):
    db = session()
    referral = referral_or_404(db, referral_id)
    audit(db, g.actor, "referral.exported", referral_id=referral.id, format="json")
    db.commit()
    return Response(json.dumps(referral_with_history(db, referral), indent=2), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{referral.reference}.json"'})
