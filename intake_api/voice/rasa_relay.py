"""Relaying one turn of a call to the Rasa server's voice channel (bot/voice_channel.py).

The conversation is keyed by the CallSid, never by the caller's number. The gateway proves itself with the
service token; the reply is the bot's messages and what it is asking for next.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

import requests
from flask import current_app

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 12  # Twilio waits 15 s for a webhook's answer
_local = threading.local()


class RasaUnavailable(Exception):
    """The assistant could not be reached, or failed on its side."""


@dataclass
class BotReply:
    texts: list[str] = field(default_factory=list)
    # The bot's {"voice": ...} payloads: transfer, hang_up, offer_callback (out of hours: routes.offer_call_back).
    signals: list[str] = field(default_factory=list)
    requested_slot: str | None = None
    active_loop: str | None = None


def _session() -> requests.Session:
    if not hasattr(_local, "session"):
        _local.session = requests.Session()
    return _local.session


def _post(body: dict) -> requests.Response:
    base = current_app.config.get("RASA_PUBLIC_URL") or "http://127.0.0.1:5005"
    token = current_app.config.get("INTAKE_SERVICE_TOKEN", "")
    return _session().post(f"{base.rstrip('/')}/webhooks/voice/webhook", timeout=TIMEOUT_SECONDS, json=body,
                           headers={"Authorization": f"Bearer {token}"})


def end_call(call_sid: str) -> None:
    """Tell the assistant the call is over (it keeps a professional's unfinished referral)."""
    try:
        response = _post({"sender": call_sid, "event": "call_ended"})
    except requests.RequestException as exc:
        raise RasaUnavailable(type(exc).__name__) from None
    if response.status_code != 200:
        raise RasaUnavailable(f"HTTP {response.status_code}")


def relay(call_sid: str, message: str, callback_phone: str | None = None) -> BotReply:
    """One turn; the caller's number goes with it as metadata, for a callback if the call drops."""
    try:
        response = _post({"sender": call_sid, "message": message, "metadata": {"callback_phone": callback_phone}})
        body = response.json() if response.status_code == 200 else None
    except (requests.RequestException, ValueError) as exc:
        log.error("voice turn for a call could not reach the assistant: %s", type(exc).__name__)
        raise RasaUnavailable(type(exc).__name__) from None
    if not isinstance(body, dict):
        log.error("the assistant's voice channel answered %s", response.status_code)
        raise RasaUnavailable(f"HTTP {response.status_code}")
    reply = BotReply(requested_slot=body.get("requested_slot"), active_loop=body.get("active_loop"))
    for message in body.get("messages") or []:
        custom = message.get("custom")
        if isinstance(custom, dict) and custom.get("voice"):
            reply.signals.append(custom["voice"])
        elif message.get("text") and not reply.signals:
            # After a transfer or the end of the call, whatever the bot would ask next is not said.
            reply.texts.append(message["text"])
    return reply
