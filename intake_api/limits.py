"""Rate limits on the checks an attacker would repeat: PIN checks and returning-client look-ups, per
conversation and for the whole line (flask-limiter; in memory on one machine, shared through Redis when
scaled out: RATELIMIT_STORAGE_URI=redis://host:6379). The exact lock-out after three wrong PINs is not a
rate limit: it is an atomic update in the case store (api/referrers.py)."""
from __future__ import annotations

from flask import request
from flask_limiter import Limiter

from .errors import error_response

# Per conversation: a caller fumbling their PIN or a relative mistyping a date gets several goes; a script
# trying registration after registration from one conversation does not.
PIN_CHECKS_PER_CONVERSATION = "6 per hour"
PIN_CHECKS_OVERALL = "300 per minute"
LOOKUPS_PER_CONVERSATION = "5 per hour"
LOOKUPS_OVERALL = "120 per minute"


def conversation_key() -> str:
    data = request.get_json(silent=True)
    conversation = data.get("conversation_id") if isinstance(data, dict) else None
    return f"conversation:{conversation}" if isinstance(conversation, str) and conversation else "conversation:-"


def whole_line() -> str:
    return "line"


def _too_many(_limit) -> object:
    return error_response(429, "rate_limited", "Too many attempts: please try again later, or call the referral line.")


limiter = Limiter(key_func=whole_line, on_breach=_too_many, strategy="moving-window")
