"""The call-backs worklist: incomplete intakes and out-of-hours requests to be called back, oldest first, each
with its due time, and a form to record each call's outcome (intake_api/callbacks.py keeps the rules)."""
from __future__ import annotations

from flask import g, redirect, render_template, request, url_for

from referral_rules.clock import now
from referral_rules.validation import MAX_LENGTH

from .. import callbacks, referrals
from ..errors import ApiError
from ..store import audit, service, session
from . import bp
from .completion import still_needed
from .sessions import login_required


def _worklist(status: int = 200, error: dict | None = None):
    """The worklist; with ``error`` ({"kind", "id", "message", "href"}), shown again saying what to do."""
    definition = service()
    db = session()
    items = callbacks.open_items(db, definition)
    # One entry naming what was on screen, as the queue's view does: never the phone numbers.
    audit(db, g.actor, "callbacks.viewed", shown=len(items),
          referral_ids=[i.id for i in items if i.kind == "intake"],
          callback_request_ids=[i.id for i in items if i.kind == "request"])
    db.commit()
    needed = {i.id: still_needed(i.referral, definition) for i in items if i.kind == "intake"}
    recorded = request.args.get("recorded")
    return render_template("staff/callbacks.html", items=items, needed=needed, moment=now(), tz=definition.timezone,
                           outcomes=callbacks.OUTCOMES, error=error, note_limit=MAX_LENGTH["note"],
                           recorded=callbacks.OUTCOMES.get(recorded) if recorded else None), status


@bp.get("/callbacks")
@login_required
def callbacks_page():
    return _worklist()


@bp.post("/callbacks/<kind>/<int:item_id>/outcome")
@login_required
def record_callback_outcome(kind: str, item_id: int):
    outcome = request.form.get("outcome", "")
    try:
        note = referrals.note_from(request.form)
        callbacks.record_outcome(session(), kind, item_id, outcome, note, g.actor, service())
    except ApiError as exc:
        field = exc.extra.get("field")
        if exc.code == "complete_the_intake_first":
            href = url_for("staff.complete_form", referral_id=item_id)
        elif field in ("outcome", "note"):
            href = f"#{field}-{kind}-{item_id}"
        else:
            raise  # no longer on the worklist, or not there at all: the error page says why
        return _worklist(exc.status, {"kind": kind, "id": item_id, "message": exc.message, "href": href,
                                      "field": field})
    return redirect(url_for("staff.callbacks_page", recorded=outcome))
