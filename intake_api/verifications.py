"""Proof, recorded by the API itself, that a conversation's caller passed a check.

A correct PIN (POST /api/referrers/verify) or a returning client found by NHS number and date of birth
(POST /api/clients/lookup) records a ``Verification`` for that conversation and hands back a random token.
A referral from the conversation must name the token: it must be this API's own record, for the same
conversation and the same referrer or client, unexpired, and (for a professional) the registration must
not have been locked or deactivated since. So a forged tracker at the action server stores nothing.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session


from .errors import ApiError
from .models import RegistrationAttempts, Verification


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def record(db: Session, kind: str, conversation_id: str, moment: datetime, referrer_id: int | None = None,
           client_id: int | None = None) -> dict:
    """Record a passed check; the caller's copy of the token, and when it stops being accepted."""
    token = secrets.token_urlsafe(32)
    expires = moment + timedelta(minutes=current_app.config["VERIFICATION_MINUTES"])
    db.add(Verification(token_sha256=_digest(token), kind=kind, conversation_id=conversation_id,
                        referrer_id=referrer_id, client_id=client_id, created_at=moment, expires_at=expires))
    return {"token": token, "expires_at": expires.isoformat().replace("+00:00", "Z")}


def _refused(message: str) -> ApiError:
    return ApiError(422, "not_verified", message, field="referrer.verification")


def proof(db: Session, token: str | None, kind: str, conversation_id: str, moment: datetime) -> Verification:
    """The verification a referral names, if it stands for this conversation now; else a 422."""
    if not token:
        raise _refused("A referral must name the check this conversation passed (referrer.verification).")
    found = db.scalar(select(Verification).where(Verification.token_sha256 == _digest(token)))
    if found is None or found.kind != kind or found.conversation_id != conversation_id:
        raise _refused("That verification is not one this service recorded for this conversation.")
    if found.expires_at <= moment:
        raise _refused("That verification has expired: the caller must be checked again.")
    return found


def for_referrer(db: Session, verification: Verification, referrer, moment: datetime) -> None:
    """A professional's proof must be for this referrer, still active and not locked out since."""
    if referrer is None or verification.referrer_id != referrer.id:
        raise _refused("That verification was for a different referrer.")
    if not referrer.active:
        raise _refused("That referrer has been deactivated.")
    attempts = db.get(RegistrationAttempts, (referrer.registration_body, referrer.registration_number))
    if attempts is not None:
        locked_at, locked_until = attempts.locked_at, attempts.locked_until
        if (locked_until and locked_until > moment) or (locked_at and locked_at > verification.created_at):
            raise _refused("That registration has been locked since it was verified: the caller must call the "
                           "referral line.")
