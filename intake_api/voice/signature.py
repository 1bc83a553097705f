"""Twilio's request signature, checked in one place for every Twilio-facing endpoint.

Twilio signs the URL it requested (our public base URL + path + query) followed by the POST parameters,
with the account's auth token. The URL is rebuilt from ``PUBLIC_BASE_URL`` and the request's own path and
query, so the check holds locally (no proxy) and behind a proxy or tunnel that rewrites the host.
With no ``TWILIO_AUTH_TOKEN`` configured every request is refused: the check is never silently off.
"""
from __future__ import annotations

import logging
from functools import wraps

from flask import current_app, request
from twilio.request_validator import RequestValidator

log = logging.getLogger(__name__)


def public_url() -> str:
    query = request.query_string.decode("latin-1")
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + request.path + (f"?{query}" if query else "")


def signed_by_twilio() -> bool:
    token = current_app.config.get("TWILIO_AUTH_TOKEN") or ""
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature:
        return False
    return RequestValidator(token).validate(public_url(), request.form, signature)


def twilio_only(view):
    @wraps(view)
    def checked(*args, **kwargs):
        if not signed_by_twilio():
            log.warning("voice webhook %s refused: missing or wrong X-Twilio-Signature", request.path)
            return "Forbidden: this endpoint takes signed requests from Twilio only.", 403, {
                "Content-Type": "text/plain"}
        return view(*args, **kwargs)

    return checked
