"""One referral: every captured field in clinician order, routing, the referrer, history, triage, downloads."""
from __future__ import annotations

import json

from flask import Response, g, redirect, render_template, request, url_for

from referral_rules.contract import labels
from referral_rules.validation import MAX_LENGTH

from .. import referrals
from ..errors import ApiError
from ..serialise import with_history
from ..store import service, session
from . import bp
from .flags import badges
from .sessions import login_required


def _page(referral, status: int = 200, error: str | None = None, chosen: str | None = None, note: str = ""):
    """The referral page; with ``error``, the status form shown again with what was entered and why not."""
    db = session()
    referrals.record(db, g.actor, "referral.viewed", referral)
    definition = service()
    return render_template(
        "staff/referral.html", r=referral, badges=badges(referral), history=referrals.history(db, referral, True),
        transitions=referrals.TRANSITIONS.get(referral.status, ()), definition=definition,
        labels=labels(definition), profession=definition.professions.get(referral.referrer_profession or ""),
        changed=request.args.get("changed"), completed=request.args.get("completed"), tz=definition.timezone, error=error, chosen=chosen, note=note,
        note_limit=MAX_LENGTH["note"],
    ), status


@bp.get("/referrals/<int:referral_id>")
@login_required
def referral_page(referral_id: int):
    return _page(referrals.get(session(), referral_id))


@bp.post("/referrals/<int:referral_id>/status")
@login_required
def change_status(referral_id: int):
    db = session()
    referral = referrals.get(db, referral_id)
    new_status = request.form.get("status", "")
    try:
        note = referrals.note_from(request.form)
        referrals.change_status(db, referral, new_status, note, g.actor)
    except ApiError as exc:
        if exc.extra.get("field") != "note":
            raise  # not a move this referral can make: the error page says why
        # A missing or too long note: the form again, with what was written, saying what to do.
        return _page(referral, exc.status, exc.message, new_status, request.form.get("note", ""))
    return redirect(url_for("staff.referral_page", referral_id=referral.id, changed=new_status))


@bp.get("/referrals/<int:referral_id>.json")
@login_required
def referral_json(referral_id: int):
    db = session()
    referral = referrals.get(db, referral_id)
    referrals.record(db, g.actor, "referral.exported", referral, format="json")
    return Response(json.dumps(with_history(referral, referrals.history(db, referral)), indent=2),
                    mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{referral.reference}.json"'})
