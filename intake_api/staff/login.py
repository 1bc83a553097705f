"""Log-in and log-out. Five wrong passwords in a row lock the account for 15 minutes, however fast they come."""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import g, make_response, redirect, render_template, request, url_for
from sqlalchemy import case, func, or_, select, update

from referral_rules.clock import now

from ..models import StaffUser
from ..security import check_secret
from ..store import audit, session
from . import bp, sessions

MAX_FAILED_PASSWORDS = 5
LOCK_MINUTES = 15
NO_MATCH = "That e-mail address and password do not match a staff account."


def _safe_next(target: str | None) -> str:
    """Only back into the console, never to another site."""
    if target and target.startswith("/staff") and not target.startswith("/staff/login"):
        return target
    return url_for("staff.queue")


def _login_page(status: int = 200, error: str | None = None, email: str = ""):
    token = secrets.token_urlsafe(32)
    notice = {"expired": "Your session ended after a time without use. Please log in again.",
              "logged_out": "You have logged out."}.get(request.args.get("reason", ""))
    response = make_response(render_template(
        "staff/login.html", csrf_token=token, error=error, notice=notice, email=email,
        next=_safe_next(request.values.get("next"))), status)
    sessions.set_cookie(response, sessions.LOGIN_CSRF_COOKIE, token, max_age=3600)
    return response


@bp.get("/login")
def login():
    if sessions.current() is not None:
        return redirect(_safe_next(request.args.get("next")))
    return _login_page()


@bp.post("/login")
def login_submit():
    # Before a session exists, the form's token must match the one in the log-in cookie (double submit).
    sessions.check_csrf(request.cookies.get(sessions.LOGIN_CSRF_COOKIE))
    email = request.form.get("email", "").strip().lower()[:200]
    password = request.form.get("password", "")
    db = session()
    user = db.scalar(select(StaffUser).where(func.lower(StaffUser.email) == email)) if email else None
    moment = now()
    if user is not None and _locked_until(user, moment):  # spares the slow hash while plainly locked
        return _refuse_locked(db, user, moment, email)
    if not check_secret(user.password_hash if user else None, password) or not (user and user.active):
        if user is None:
            return _login_page(401, NO_MATCH, email)
        counted = _count_wrong_password(db, user, moment)
        if counted is None:  # locked by a concurrent attempt since it was read above
            return _refuse_locked(db, user, moment, email)
        audit(db, sessions.actor_of(user), "staff.login_failed", failed_logins=counted)
        if counted >= MAX_FAILED_PASSWORDS:
            audit(db, sessions.actor_of(user), "staff.locked_out", minutes=LOCK_MINUTES)
        db.commit()
        return _login_page(401, NO_MATCH, email)

    # The right password still may not log in to an account a concurrent attempt has just locked.
    if db.execute(update(StaffUser).where(StaffUser.id == user.id, _unlocked(moment))
                  .values(failed_logins=0, locked_until=None)
                  .execution_options(synchronize_session=False)).rowcount != 1:
        return _refuse_locked(db, user, moment, email)
    _row, token = sessions.start(db, user)
    audit(db, sessions.actor_of(user), "staff.logged_in")
    db.commit()
    response = redirect(_safe_next(request.form.get("next")))
    sessions.set_cookie(response, sessions.COOKIE, token)
    sessions.clear_cookie(response, sessions.LOGIN_CSRF_COOKIE)
    return response


def _unlocked(moment):
    return or_(StaffUser.locked_until.is_(None), StaffUser.locked_until <= moment)


def _locked_until(user: StaffUser, moment) -> datetime | None:
    locked_until = user.locked_until
    return locked_until if locked_until is not None and locked_until > moment else None


def _count_wrong_password(db, user: StaffUser, moment) -> int | None:
    """Count a wrong password in one conditional UPDATE, so that however many arrive at once, at most
    MAX_FAILED_PASSWORDS are counted (the last of them locks the account and starts the count again) and the
    rest find the account locked. The count this one made, or None if the account was already locked."""
    locks = StaffUser.failed_logins + 1 >= MAX_FAILED_PASSWORDS
    counted = db.execute(
        update(StaffUser).where(StaffUser.id == user.id, _unlocked(moment))
        .values(failed_logins=case((locks, 0), else_=StaffUser.failed_logins + 1),
                locked_until=case((locks, moment + timedelta(minutes=LOCK_MINUTES)), else_=None))
        .returning(StaffUser.failed_logins, StaffUser.locked_until)
        .execution_options(synchronize_session=False)).first()
    if counted is None:
        return None
    failed_logins, locked_until = counted
    return MAX_FAILED_PASSWORDS if locked_until is not None else failed_logins


def _refuse_locked(db, user: StaffUser, moment, email: str):
    db.refresh(user)  # the lock as stored now, which a concurrent attempt may just have set
    locked_until = _locked_until(user, moment) or moment
    audit(db, sessions.actor_of(user), "staff.login_refused_locked")
    db.commit()
    minutes = max(1, int((locked_until - moment).total_seconds() // 60) + 1)
    return _login_page(423, f"This account is locked after {MAX_FAILED_PASSWORDS} wrong passwords. "
                            f"Try again in {minutes} minutes.", email)


@bp.post("/logout")
@sessions.login_required
def logout():
    db = session()
    g.staff_session.ended_at = now()
    audit(db, g.actor, "staff.logged_out")
    db.commit()
    response = redirect(url_for("staff.login", reason="logged_out"))
    sessions.clear_cookie(response, sessions.COOKIE)
    return response
