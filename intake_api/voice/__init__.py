"""The voice gateway: the only part of the service Twilio talks to.

Twilio's number points at ``{PUBLIC_BASE_URL}/voice/incoming`` (the SPR menu) and its status callback at
``{PUBLIC_BASE_URL}/voice/status``. Every request is checked against ``X-Twilio-Signature`` (signature.py);
each turn of the CIS conversation is relayed to the Rasa server's ``voice`` channel (rasa_relay.py,
bot/voice_channel.py) and the bot's answer is spoken back as TwiML (twiml.py, speech.py).
"""
from flask import Blueprint

bp = Blueprint("voice", __name__, url_prefix="/voice")

from . import routes  # noqa: E402,F401  (registers the routes on bp)
