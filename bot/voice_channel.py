"""The Rasa side of the telephone: an input channel named ``voice`` (so ``channel: voice`` responses and
``channel_of() == "voice"`` apply), reached only by the intake API's voice gateway, never by Twilio.

``POST /webhooks/voice/webhook`` with ``Authorization: Bearer $INTAKE_SERVICE_TOKEN`` and
``{"sender": CallSid, "message": text, "metadata": {"callback_phone": ...}}`` answers
``{"messages": [...], "requested_slot": ..., "active_loop": ...}``: the bot's messages and what it is now
asking for, so the gateway knows when the PIN is asked (keypad only) and which answers to read back.
``{"sender": CallSid, "event": "call_ended"}`` runs ``action_call_ended`` on that conversation (there is no
intent for it, so nothing a caller says can end a call). Anything without the token gets 403 and is not
seen by the assistant.

The conversation is ``call-<CallSid>``: no chat conversation (``chat-<id>``, bot/chat_channel.py) can reach
it. The PIN, typed on the keypad, is checked here and never reaches Rasa (bot/pin_check.py).
"""
from __future__ import annotations

import hmac
import logging
import os
from typing import Any, Awaitable, Callable, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.pin_check import instead_of_pin

log = logging.getLogger(__name__)
MAX_MESSAGE = 2000
MAX_BODY_BYTES = 8 * 1024
CONVERSATION_PREFIX = "call-"


class VoiceOutput(CollectingOutputChannel):
    """Collects the bot's messages; named ``voice`` so Rasa picks the domain's ``channel: voice`` variants."""

    @classmethod
    def name(cls) -> Text:
        return "voice"


class VoiceInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "voice"

    def __init__(self, token: Optional[Text] = None) -> None:
        self.token = token if token is not None else os.environ.get("INTAKE_SERVICE_TOKEN", "")

    @classmethod
    def from_credentials(cls, credentials: Optional[dict[Text, Any]]) -> "VoiceInput":
        return cls((credentials or {}).get("token") or None)

    def authorised(self, request: Request) -> bool:
        presented = request.headers.get("Authorization", "")
        # No token configured refuses everyone, as the intake API does.
        return bool(self.token) and hmac.compare_digest(presented.encode(), f"Bearer {self.token}".encode())

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        voice = Blueprint("voice_webhook", __name__)

        @voice.route("/", methods=["GET"])
        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @voice.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.authorised(request):
                return response.json({"error": "forbidden", "message": "Voice turns come from the voice gateway."},
                                     status=403)
            if len(request.body or b"") > MAX_BODY_BYTES:
                return response.json({"error": "too_large", "message": "A voice turn is a few hundred bytes."},
                                     status=413)
            body = request.json if isinstance(request.json, dict) else {}
            sid, text = body.get("sender"), body.get("message")
            if not isinstance(sid, str) or not sid or len(sid) > 64:
                return response.json({"error": "bad_request", "message": "sender (the CallSid) is required."},
                                     status=400)
            sender = CONVERSATION_PREFIX + sid
            agent = request.app.ctx.agent
            if body.get("event") == "call_ended":
                await self.end_call(agent, sender)
                return response.json({"messages": [], "requested_slot": None, "active_loop": None})
            if not isinstance(text, str) or len(text) > MAX_MESSAGE:
                return response.json({"error": "bad_request", "message": "sender and message are required."},
                                     status=400)
            given = body.get("metadata") if isinstance(body.get("metadata"), dict) else {}
            metadata = {"callback_phone": given.get("callback_phone")}  # nothing else a request says is kept
            text, checked = await instead_of_pin(agent.tracker_store, sender, text) or (text, {})
            collector = VoiceOutput()
            await on_new_message(UserMessage(text, collector, sender, input_channel=self.name(),
                                             metadata={**metadata, **checked}))
            tracker = await agent.processor.get_tracker(sender)
            return response.json({
                "messages": collector.messages,
                "requested_slot": tracker.get_slot("requested_slot"),
                "active_loop": tracker.active_loop_name,
            })

        return voice

    @staticmethod
    async def end_call(agent, sender: Text) -> None:
        """The call is over: ``action_call_ended`` runs once on its conversation, if it has one."""
        async with agent.lock_store.lock(sender):
            if await agent.tracker_store.retrieve(sender) is None:
                return  # the caller never reached the assistant (menu only)
            await agent.execute_action(sender, "action_call_ended", VoiceOutput(), None, 1.0)
