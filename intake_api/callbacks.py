"""Call-backs owed by the team: incomplete intakes (a professional's call or chat that ended before the referral
was sent) and requests to be called back made by telephone out of hours. The staff's worklist lists the open
ones oldest first, each due by the service file's rule (ServiceDefinition.callback_due), and staff record each
call's outcome. Every outcome is an audit entry naming the item, never its phone number.

The voice gateway stores requests here and the staff console reads and changes them; neither has rules of its
own about call-backs.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from referral_rules.clock import now
from referral_rules.service_definition import ServiceDefinition

from .errors import ApiError
from .models import CallbackRequest, CallbackState, IntakeCallback, Referral
from .store import audit

log = logging.getLogger(__name__)

# The outcomes of a call back, as staff choose them.
OUTCOMES = {"completed": "Reached and completed", "try_again": "No answer — try again", "not_needed": "Not needed"}
# The two kinds of item on the worklist.
KINDS = {"intake": "Incomplete intake", "request": "Call-back request"}


@dataclass(frozen=True)
class Item:
    """One open call back on the worklist."""

    kind: str                      # "intake" (the id is the referral's) or "request" (a CallbackRequest's)
    id: int
    received: datetime
    due: datetime
    attempts: int
    referral: Referral | None = None  # an incomplete intake
    phone: str | None = None          # a request: the number to call

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    def overdue(self, moment: datetime) -> bool:
        return self.due < moment


# --- Asked for by telephone -----------------------------------------------------------------------------------

def request_call_back(db: Session, phone: str, call_sid: str, definition: ServiceDefinition,
                      moment: datetime) -> tuple[CallbackRequest, bool]:
    """Store a caller's request to be called back on ``phone`` (E.164, already checked), once per call: a repeat
    for the same call gives back the request stored before. Returns it and whether it is new."""
    existing = db.scalar(select(CallbackRequest).where(CallbackRequest.call_sid == call_sid))
    if existing is not None:
        return existing, False
    request = CallbackRequest(requested_at=moment, phone=phone, call_sid=call_sid, service_file=definition.key,
                              status="open", attempts=0, due_at=definition.callback_due(moment))
    db.add(request)
    try:
        db.flush()
        audit(db, "service", "callback.requested", callback_request_id=request.id, channel="voice")
        db.commit()
    except IntegrityError:
        db.rollback()  # the same call's press, at the same moment, won
        return db.scalar(select(CallbackRequest).where(CallbackRequest.call_sid == call_sid)), False
    log.info("call-back request %s stored", request.id)
    return request, True


# --- The worklist ----------------------------------------------------------------------------------------------

def open_items(db: Session, definition: ServiceDefinition) -> list[Item]:
    """Every open call back, oldest first by the time it was received. An incomplete intake is on the list while
    it is incomplete and no outcome has closed it; before any outcome it has no attempts and is due by the time
    it was received."""
    items = [Item("request", r.id, r.requested_at, r.due_at, r.attempts, phone=r.phone)
             for r in db.scalars(select(CallbackRequest).where(CallbackRequest.status == "open"))]
    intakes = db.execute(
        select(Referral, IntakeCallback)
        .outerjoin(IntakeCallback, IntakeCallback.referral_id == Referral.id)
        .where(Referral.status == "incomplete", or_(IntakeCallback.status.is_(None), IntakeCallback.status == "open")))
    for referral, state in intakes:
        due = state.due_at if state else definition.callback_due(referral.received_at)
        items.append(Item("intake", referral.id, referral.received_at, due, state.attempts if state else 0,
                          referral=referral))
    return sorted(items, key=lambda item: (item.received, item.kind, item.id))


def _state(db: Session, kind: str, item_id: int, definition: ServiceDefinition) -> tuple[CallbackState, int | None]:
    """The item's call-back state (an intake's made on its first outcome), and the referral it is about."""
    if kind == "request":
        request = db.get(CallbackRequest, item_id)
        if request is None:
            raise ApiError(404, "not_found", f"There is no call-back request {item_id}.")
        return request, None
    if kind != "intake":
        raise ApiError(404, "not_found", "There is no such kind of call back.")
    referral = db.get(Referral, item_id)
    if referral is None:
        raise ApiError(404, "not_found", f"There is no referral {item_id}.")
    state = db.get(IntakeCallback, item_id)
    if referral.status != "incomplete":
        raise ApiError(409, "not_on_worklist", f"Referral {referral.reference} is {referral.status}, no longer an "
                                               f"incomplete intake: it has left the worklist.")
    if state is None:
        state = IntakeCallback(referral_id=referral.id, status="open", attempts=0,
                               due_at=definition.callback_due(referral.received_at))
        db.add(state)
    return state, referral.id


def record_outcome(db: Session, kind: str, item_id: int, outcome: str, note: str | None, actor: str,
                   definition: ServiceDefinition) -> CallbackState:
    """Record a call's outcome: "try_again" keeps the item with one more attempt, due again in the allowance from
    now (from the next opening when closed); "completed" and "not_needed" close it. An incomplete intake is only
    "completed" by completing it (referrals.complete), so that outcome is refused for one still incomplete."""
    if outcome not in OUTCOMES:
        raise ApiError(422, "outcome_required", "Choose the outcome of the call.", field="outcome")
    state, referral_id = _state(db, kind, item_id, definition)
    if state.status != "open":
        raise ApiError(409, "already_closed", "An outcome that closed this call back has already been recorded: "
                                              "it has left the worklist.")
    if kind == "intake" and outcome == "completed":
        db.rollback()
        raise ApiError(409, "complete_the_intake_first", "This intake is still incomplete. Complete the intake "
                                                         "first, then it leaves the worklist.", field="outcome")
    if outcome != "not_needed":
        state.attempts += 1
    if outcome == "try_again":
        state.due_at = definition.callback_due(now())
    else:
        state.status = "done"
    state.outcome = outcome
    named = {"referral_id": referral_id} if referral_id else {"callback_request_id": item_id}
    audit(db, actor, "callback.outcome", **named, kind=kind, outcome=outcome, attempts=state.attempts,
          **({"note": note} if note else {}))
    try:
        db.commit()
    except IntegrityError:  # someone else recorded this intake's first outcome at the same moment
        db.rollback()
        raise ApiError(409, "changed", "Someone else recorded an outcome for this call back at the same moment. "
                                       "Reload the worklist and check it.") from None
    return state


def close_completed_intake(db: Session, referral: Referral) -> None:
    """A completed intake leaves the worklist by its status; its call-back state, if any, says so too."""
    state = db.get(IntakeCallback, referral.id)
    if state is not None and state.status == "open":
        state.status, state.outcome = "done", "completed"
