"""Staff console sessions, kept in the case store: the cookie, idle time-out, CSRF tokens, log-in required."""
from __future__ import annotations

import hmac
import secrets
from datetime import timedelta
from functools import wraps

from flask import current_app, g, jsonify, redirect, request, url_for
from sqlalchemy import select

from referral_rules.clock import now

from ..auth import token_digest
from ..errors import ApiError
from ..models import StaffSession, StaffUser
from ..store import audit, session

COOKIE = "cis_staff_session"
LOGIN_CSRF_COOKIE = "cis_staff_login_csrf"


def set_cookie(response, name: str, value: str, max_age: int | None = None) -> None:
    secure = current_app.config.get("PUBLIC_BASE_URL", "").startswith("https://")
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="Lax", secure=secure, path="/")


def clear_cookie(response, name: str) -> None:
    secure = current_app.config.get("PUBLIC_BASE_URL", "").startswith("https://")
    response.delete_cookie(name, path="/", httponly=True, samesite="Lax", secure=secure)


def idle_limit() -> timedelta:
    return timedelta(minutes=int(current_app.config.get("STAFF_SESSION_IDLE_MINUTES", 30)))


def start(db, user: StaffUser) -> tuple[StaffSession, str]:
    """A new session for ``user``; returns it and the cookie value (never stored)."""
    token = secrets.token_urlsafe(32)
    row = StaffSession(token_sha256=token_digest(token), staff_user_id=user.id, csrf_token=secrets.token_urlsafe(32),
                       created_at=now(), last_seen_at=now())
    db.add(row)
    return row, token


def current(touch: bool = True) -> StaffSession | None:
    """The request's live session, if its cookie names one; an idle one is ended here (and noted in ``g``).
    ``touch``: the request counts as use (a person's, not the page's own polling)."""
    if "staff_session" in g:
        return g.staff_session
    g.staff_session = None
    token = request.cookies.get(COOKIE, "")
    if not token:
        return None
    db = session()
    row = db.scalar(select(StaffSession).where(StaffSession.token_sha256 == token_digest(token)))
    if row is None or row.ended_at is not None or not row.staff_user.active:
        return None
    moment = now()
    if moment - row.last_seen_at > idle_limit():
        row.ended_at = moment
        audit(db, actor_of(row.staff_user), "staff.session_expired")
        db.commit()
        g.session_expired = True
        return None
    if touch:
        row.last_seen_at = moment
        db.commit()
    g.staff_session = row
    return row


def actor_of(user: StaffUser) -> str:
    return f"staff:{user.email}"


def check_csrf(expected: str | None) -> None:
    sent = request.form.get("csrf_token", "")
    if not expected or not sent or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise ApiError(403, "csrf_token_invalid",
                       "This form did not come from a page of the staff console, or has expired. "
                       "Go back, reload the page and try again.")


def login_required(view):
    """Console pages: a live session, else the log-in page; every POST must carry the session's CSRF token."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        row = current()
        if row is None:
            reason = "expired" if g.get("session_expired") else None
            return redirect(url_for("staff.login", next=request.full_path.rstrip("?"), reason=reason))
        if request.method == "POST":
            check_csrf(row.csrf_token)
        g.staff_user = row.staff_user
        g.actor = actor_of(row.staff_user)
        return view(*args, **kwargs)

    return wrapped


def live_session_required(view):
    """The console page's own background requests (the live queue): a live session, which they do not keep
    alive, so that a screen left open still times out; else 401 and what to do."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        row = current(touch=False)
        if row is None:
            return jsonify(error="session_ended", message="Your session has ended. Reload the page to log in "
                                                          "again."), 401
        g.staff_user = row.staff_user
        g.actor = actor_of(row.staff_user)
        return view(*args, **kwargs)

    return wrapped
