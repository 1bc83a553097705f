"""The web chat's channel: Rasa's REST channel (``POST /webhooks/rest/webhook``), made safe to face the public.

- **Size**: a body over MAX_BODY_BYTES is refused at once (413) and a message over MAX_MESSAGE_CHARS gets a
  clear answer, before the NLU sees it, so one caller cannot slow the others.
- **Sender ids are random and of this channel only**: the browser's id must look random (16-64 letters,
  digits, ``-`` or ``_``) and the conversation is ``chat-<id>``, so no chat can reach a telephone
  conversation (``call-<CallSid>``, bot/voice_channel.py).
- **The server decides the channel**: ``input_channel`` and ``metadata`` sent by the browser are ignored, so
  a chat cannot pass for a call or claim a PIN check.
- **The PIN never reaches Rasa** (bot/pin_check.py).
- Nothing a caller typed is logged, even when something fails.
- The server deletes conversations past their retention period in the background (bot/tracker_store.py).
"""
from __future__ import annotations

import logging
import re
from typing import Any, Awaitable, Callable, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.pin_check import instead_of_pin
from bot.tracker_store import keep_purging

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 16 * 1024
MAX_MESSAGE_CHARS = 4000  # the longest answer the case store keeps (a reason) fits in one message
CONVERSATION_PREFIX = "chat-"
_RANDOM_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")
TOO_LONG = (f"Sorry, that message is too long for me (the most is {MAX_MESSAGE_CHARS:,} characters). "
            "Please send a shorter one.")
SORRY = "Sorry, something went wrong on our side. Please say that again."


def error(status: int, code: str, message: str) -> HTTPResponse:
    return response.json({"error": code, "message": message}, status=status)


def too_big(request: Request) -> bool:
    declared = request.headers.get("content-length", "")
    return (declared.isdigit() and int(declared) > MAX_BODY_BYTES) or len(request.body or b"") > MAX_BODY_BYTES


class ChatInput(InputChannel):
    """Named ``rest`` so the web chat's URL stays ``/webhooks/rest/webhook``."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        chat = Blueprint("chat_webhook", __name__)

        @chat.listener("after_server_start")
        async def delete_old_conversations(app, _loop) -> None:
            """The retention period (CONVERSATION_RETENTION_HOURS) also holds while nobody is chatting."""
            app.add_task(keep_purging(app.ctx.agent.tracker_store))

        @chat.route("/", methods=["GET"])
        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @chat.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if too_big(request):
                return error(413, "too_large", f"A chat message must be under {MAX_BODY_BYTES // 1024} KB.")
            try:
                body = request.json
            except Exception:  # noqa: BLE001 - sanic raises its own type for a body that isn't JSON
                body = None
            if not isinstance(body, dict):
                return error(400, "bad_request", "The body must be a JSON object with sender and message.")
            sender, text = body.get("sender"), body.get("message")
            if not isinstance(sender, str) or not _RANDOM_ID.fullmatch(sender):
                return error(400, "bad_sender", "sender must be a random id of 16 to 64 letters, digits, - or _.")
            if not isinstance(text, str) or not text.strip():
                return error(400, "bad_message", "message must be some text.")
            conversation = CONVERSATION_PREFIX + sender
            if len(text) > MAX_MESSAGE_CHARS:
                return response.json([{"recipient_id": conversation, "text": TOO_LONG}])
            collector = CollectingOutputChannel()
            try:
                agent = request.app.ctx.agent
                text, metadata = await instead_of_pin(agent.tracker_store, conversation, text) or (text, {})
                await on_new_message(UserMessage(text, collector, conversation, input_channel=self.name(),
                                                 metadata=metadata))
            except Exception as exc:  # noqa: BLE001 - the caller gets an answer; the log gets the type only
                log.error("chat turn failed: %s", type(exc).__name__)
                return response.json([{"recipient_id": conversation, "text": SORRY}])
            return response.json(collector.messages)

        return chat
