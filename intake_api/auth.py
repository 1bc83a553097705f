"""Who may call what: the action server with the service token, staff with a staff token."""
from __future__ import annotations

import hashlib
import hmac
from functools import wraps

from flask import current_app, g, request
from sqlalchemy import select

from referral_rules.clock import now

from .errors import ApiError
from .models import StaffToken
from .store import session


def _bearer() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "unauthorised", "An Authorization: Bearer token is required.")
    return token.strip()


def service_only(view):
    """The bot-facing endpoints: only the action server, holding INTAKE_SERVICE_TOKEN."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        token = _bearer()
        expected = current_app.config.get("INTAKE_SERVICE_TOKEN") or ""
        if not expected or not hmac.compare_digest(token.encode(), expected.encode()):
            raise ApiError(401, "unauthorised", "That service token is not accepted.")
        g.actor = "service"
        return view(*args, **kwargs)

    return wrapped


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def staff_only(view):
    """Staff endpoints: a staff API token (and, from the console, a logged-in session)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if "Authorization" not in request.headers and request.method in ("GET", "HEAD"):
            # The console's session cookie reads (never changes) through the API: FHIR download, for one.
            from .staff.sessions import actor_of, current

            row = current()
            if row is not None:
                g.staff_user, g.actor = row.staff_user, actor_of(row.staff_user)
                return view(*args, **kwargs)
        row = _live_token(token_digest(_bearer()))
        g.staff_user = row.staff_user
        g.actor = f"staff:{row.staff_user.email}"
        return view(*args, **kwargs)

    return wrapped


def _live_token(digest: str) -> StaffToken:
    """The staff token with this digest if it may be used now: not revoked, not expired, its user active."""
    row = session().scalar(select(StaffToken).where(StaffToken.token_sha256 == digest))
    if row is None or row.revoked or not row.staff_user.active or not hmac.compare_digest(row.token_sha256, digest):
        raise ApiError(401, "unauthorised", "That staff token is not accepted.")
    if row.expires_at <= now():
        raise ApiError(401, "unauthorised", "That staff token has expired: ask an administrator for a new one.")
    return row
