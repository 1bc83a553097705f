"""The action server's client for the intake API: service token, timeouts, retries, idempotency.

A confirmed referral is tried for at most SUBMIT_SECONDS, so the caller hears within ten seconds what
happened; if the API has not answered by then, the referral goes to the outbox (actions/outbox.py), which
delivers it with the same Idempotency-Key, exactly once, when the API is back."""
from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass
from typing import Any

import aiohttp

log = logging.getLogger(__name__)

TIMEOUT = aiohttp.ClientTimeout(total=4)
SUBMIT_SECONDS = 7.0              # all attempts to store a confirmed referral, then the outbox
ATTEMPT_SECONDS = 3.0             # one attempt
RETRY_DELAYS = (0.5, 1.0, 2.0)    # between attempts


class IntakeUnavailable(Exception):
    """The intake API could not be reached, or failed on its side."""


@dataclass
class Reply:
    status: int
    body: dict[str, Any]

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def _base_url() -> str:
    return os.environ.get("INTAKE_API_URL", "http://127.0.0.1:5000").rstrip("/")


def _headers(extra: dict | None = None) -> dict:
    return {"Authorization": f"Bearer {os.environ.get('INTAKE_SERVICE_TOKEN', '')}", **(extra or {})}


async def _call(method: str, path: str, json: dict | None = None, params: dict | None = None,
                headers: dict | None = None, timeout: aiohttp.ClientTimeout = TIMEOUT) -> Reply:
    try:
        async with aiohttp.ClientSession(timeout=timeout) as session:
            async with session.request(method, _base_url() + path, json=json, params=params,
                                       headers=_headers(headers)) as response:
                body = await response.json(content_type=None)
                reply = Reply(response.status, body if isinstance(body, dict) else {})
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
        log.warning("intake API %s %s unreachable: %s", method, path, type(exc).__name__)
        raise IntakeUnavailable(str(type(exc).__name__)) from None
    if reply.status >= 500:
        log.warning("intake API %s %s answered %s", method, path, reply.status)
        raise IntakeUnavailable(f"HTTP {reply.status}")
    return reply


async def verify_referrer(registration_body: str, registration_number: str, pin: str, conversation_id: str) -> Reply:
    """Called by the input channels (bot/pin_check.py), so that the PIN never reaches Rasa; a correct PIN is
    recorded by the API as this conversation's verification (its token is in the reply)."""
    return await _call("POST", "/api/referrers/verify", json={
        "registration_body": registration_body, "registration_number": registration_number, "pin": pin,
        "conversation_id": conversation_id})


async def lookup_client(nhs_number: str, date_of_birth: str, conversation_id: str) -> Reply:
    """Found, the API records the returning client as this conversation's verification (its token is in
    the reply), which the referral must then name."""
    return await _call("POST", "/api/clients/lookup", json={"nhs_number": nhs_number, "date_of_birth": date_of_birth,
                                                           "conversation_id": conversation_id})


async def routing(postcode: str) -> Reply:
    return await _call("GET", "/api/routing", params={"postcode": postcode})


async def record_declined(reason: str, channel: str, conversation_id: str, service: str | None = None,
                          postcode: str | None = None) -> None:
    """Best effort: a refusal is still given to the caller if this cannot be recorded."""
    body = {"reason": reason, "channel": channel, "conversation_id": conversation_id, "service": service,
            "postcode": postcode}
    try:
        await _call("POST", "/api/declined-contacts", json={k: v for k, v in body.items() if v})
    except IntakeUnavailable:
        log.error("could not record a declined contact (%s)", reason)


async def store_referral(payload: dict, idempotency_key: str, seconds: float = ATTEMPT_SECONDS) -> Reply:
    """One attempt to store a referral; the key makes any repeat of it return the same referral."""
    return await _call("POST", "/api/referrals", json=payload, headers={"Idempotency-Key": idempotency_key},
                       timeout=aiohttp.ClientTimeout(total=seconds))


async def submit_referral(payload: dict, idempotency_key: str) -> Reply:
    """Store a confirmed referral, retrying with the same key, for at most SUBMIT_SECONDS in all;
    IntakeUnavailable if the API has not answered by then."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SUBMIT_SECONDS
    for attempt, delay in enumerate((*RETRY_DELAYS, None), start=1):
        left = deadline - loop.time()
        try:
            return await store_referral(payload, idempotency_key, min(ATTEMPT_SECONDS, left))
        except IntakeUnavailable:
            if delay is None or deadline - loop.time() < delay + 0.5:
                raise
            log.warning("storing referral: attempt %d failed, retrying in %.1fs", attempt, delay)
            await asyncio.sleep(delay)
    raise AssertionError("unreachable")
