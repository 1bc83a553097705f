"""Confirmed referrals that the intake API did not take in time, kept on disk until it does.

A referral the caller confirmed is never lost to a slow or stopped API: after SUBMIT_SECONDS the action
server keeps it here (a SQLite file readable by this service's user only: OUTBOX_PATH, default
instance/outbox.sqlite3), tells the caller it is safe, and a background task delivers it with the same
Idempotency-Key as soon as the API answers. The key makes delivery exactly once, even if an earlier
attempt did reach the API or several action-server workers deliver at the same time. A delivered referral
is deleted from the outbox at once; one the API refuses is kept, with the API's error code, for an operator.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from . import intake_client

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
RETRY_SECONDS = float(os.environ.get("OUTBOX_RETRY_SECONDS") or 5)


def path() -> Path:
    return Path(os.environ.get("OUTBOX_PATH") or ROOT / "instance" / "outbox.sqlite3")


@contextmanager
def _connect() -> Iterator[sqlite3.Connection]:
    """A connection in autocommit mode, closed after use."""
    file = path()
    file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not file.exists():  # created 0600 before SQLite opens it; its -wal and -shm files take the same mode
        os.close(os.open(file, os.O_CREAT | os.O_WRONLY, 0o600))
    connection = sqlite3.connect(file, timeout=30, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE IF NOT EXISTS outbox (idempotency_key TEXT PRIMARY KEY, payload TEXT NOT NULL, "
                       "kept_at REAL NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, refused TEXT)")
    try:
        yield connection
    finally:
        connection.close()


def keep(idempotency_key: str, payload: dict) -> None:
    with _connect() as connection:
        connection.execute("INSERT OR IGNORE INTO outbox (idempotency_key, payload, kept_at) VALUES (?, ?, ?)",
                           (idempotency_key, json.dumps(payload), time.time()))
    log.warning("a confirmed referral is kept in the outbox until the intake API answers")


def waiting() -> list[tuple[str, str]]:
    with _connect() as connection:
        return connection.execute("SELECT idempotency_key, payload FROM outbox WHERE refused IS NULL "
                                  "ORDER BY kept_at").fetchall()


async def deliver_waiting() -> int:
    """Deliver what is waiting, oldest first; stop at the first attempt the API doesn't answer."""
    delivered = 0
    for key, payload in waiting():
        try:
            reply = await intake_client.store_referral(json.loads(payload), key)
        except intake_client.IntakeUnavailable:
            with _connect() as connection:
                connection.execute("UPDATE outbox SET attempts = attempts + 1 WHERE idempotency_key = ?", (key,))
            return delivered
        with _connect() as connection:
            if reply.ok:
                connection.execute("DELETE FROM outbox WHERE idempotency_key = ?", (key,))
                log.info("referral %s delivered from the outbox", reply.body.get("reference"))
                delivered += 1
            else:
                connection.execute("UPDATE outbox SET refused = ? WHERE idempotency_key = ?",
                                   (str(reply.body.get("error") or reply.status), key))
                log.error("the intake API refused a referral from the outbox: %s", reply.body.get("error"))
    return delivered


async def deliver_forever() -> None:
    """The action server's background task (actions/server.py)."""
    while True:
        try:
            await deliver_waiting()
        except Exception as exc:  # noqa: BLE001 - keep trying; the log names the type only
            log.error("outbox delivery failed: %s", type(exc).__name__)
        await asyncio.sleep(RETRY_SECONDS)
