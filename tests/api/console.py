"""Helpers for the staff console tests: log in as a browser would, read the CSRF token off a page."""
from __future__ import annotations

import re

from sqlalchemy import select

from intake_api.models import AuditEntry

from .payloads import referral_body, with_proof

DEMO_EMAIL, DEMO_PASSWORD = "staff@cis.example", "demo-staff-password"


def csrf(page_html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page_html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def log_in(client, email=DEMO_EMAIL, password=DEMO_PASSWORD, token: str | None = None, **extra):
    page = client.get("/staff/login")
    form = {"email": email, "password": password, **extra}
    form["csrf_token"] = csrf(page.get_data(as_text=True)) if token is None else token
    return client.post("/staff/login", data=form)


def store_referral(client, bot, **changes) -> dict:
    body = with_proof(client, bot, referral_body(**changes))
    response = client.post("/api/referrals", json=body, headers={**bot, "Idempotency-Key": body["conversation_id"]})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def audit_actions(app, referral_id: int | None = None) -> list[str]:
    db = app.extensions["cis"]["sessions"]()
    try:
        query = select(AuditEntry).order_by(AuditEntry.id)
        if referral_id is not None:
            query = query.where(AuditEntry.referral_id == referral_id)
        return [f"{e.actor} {e.action}" for e in db.scalars(query)]
    finally:
        db.close()


def structure(page_html: str) -> str:
    """The page without its class attributes (the NHS.UK frontend's styling), to read what it says where."""
    return re.sub(r' class="[^"]*"', "", page_html)


def tags(page_html: str) -> list[str]:
    """The words of the page's tags (flags and statuses), in order."""
    return re.findall(r'<strong class="nhsuk-tag [^"]*">([^<]*)</strong>', page_html)


def status_shown(page_html: str) -> str:
    return re.search(r'<strong class="nhsuk-tag [^"]*app-status">([^<]*)</strong>', page_html).group(1)
