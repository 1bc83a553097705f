"""The voice gateway: the only part of the service Twilio talks to.

Twilio's number points at ``{PUBLIC_BASE_URL}/voice/incoming`` (the referral line's menu) and its status
callback at ``{PUBLIC_BASE_URL}/voice/status``. Every request is checked against ``X-Twilio-Signature`` (signature.py);
each turn of the service's conversation is relayed to the Rasa server's ``voice`` channel (rasa_relay.py,
bot/voice_channel.py) and the bot's answer is spoken back as TwiML (twiml.py, speech.py).
"""
from flask import Blueprint, request

bp = Blueprint("voice", __name__, url_prefix="/voice")

MAX_BODY_BYTES = 8 * 1024  # Twilio's webhook posts are one or two kilobytes


@bp.before_request
def _small_requests_only():
    """Refused at once, before the signature check or any parsing: one caller cannot slow another."""
    if (request.content_length or 0) > MAX_BODY_BYTES:
        return "Request too large for a Twilio webhook.", 413, {"Content-Type": "text/plain"}

from . import routes  # noqa: E402,F401  (registers the routes on bp)
