"""Rasa's tracker stores, keeping what callers said only as long as a referral needs it (issue 11, item 4).

- Redaction. Every referral path ends with an ``AllSlotsReset`` (stored, refused, stopped, out of area, no
  consent, locked out, call ended). From then on nothing the caller said before it is kept: when a tracker
  is saved, every event before its last reset loses the caller's and the bot's words, entities, metadata
  and the values of all but the structural slots. Intents stay, because the RulePolicy and the processor
  read them, so a redacted conversation loads and carries on with the next referral.
- Retention. A conversation whose last event is older than ``CONVERSATION_RETENTION_HOURS`` (default 24)
  is deleted entirely. ``save()`` purges at most every ``CONVERSATION_PURGE_SECONDS`` (default 300), and
  ``keep_purging()`` purges from a background task, so idle servers purge too.

endpoints.yml names ``bot.tracker_store.RedactingInMemoryTrackerStore``, endpoints.scale.yml
``bot.tracker_store.RedactingSQLTrackerStore`` (Rasa's SQL store's parameters pass through unchanged).
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from typing import Any, Dict, List, Optional

import sqlalchemy as sa
from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore, TrackerStore
from rasa.shared.core.events import AllSlotsReset
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

RESET = AllSlotsReset.type_name
# Slots whose values are the shape of the conversation, not what the caller told us: the rules and the
# forms read them (domain.yml). Rasa's own session_started_metadata is not among them: it holds the
# first message's metadata (a telephone caller's number) and nothing reads it.
STRUCTURAL_SLOTS = frozenset({
    "requested_slot", "caller_type", "auth_outcome", "public_outcome", "patient_outcome", "submission",
    "stop_requested", "failures", "correction", "service", "referral_reference",
})
# The event types that can carry what a caller said (the rows redact() may change).
SPOKEN = ("user", "bot", "slot", "entities")


def redact(event: Dict[str, Any]) -> Dict[str, Any]:
    """The event without the caller's words; replaces keys only, as the dict shares objects with the
    live tracker's event (Event.as_dict), which the processor goes on using after a save."""
    kind = event.get("event")
    if kind == "user":
        parsed = event.get("parse_data") or {}
        event.update(text=None, metadata={}, parse_data={
            "intent": parsed.get("intent") or {}, "intent_ranking": parsed.get("intent_ranking") or [],
            "entities": [], "text": ""})
    elif kind == "bot":  # the read-back carries the patient's name, NHS number and address
        event.update(text=None, data={}, metadata={})
    elif kind == "slot" and event.get("name") not in STRUCTURAL_SLOTS:
        event["value"] = None
    elif kind == "entities":
        event["entities"] = []
    return event


def redact_before_last_reset(events: List[Dict[str, Any]]) -> bool:
    """Redacts, in place, every event before the last reset; whether there was a reset."""
    last = next((i for i in range(len(events) - 1, -1, -1) if events[i].get("event") == RESET), None)
    if last is None:
        return False
    for event in events[:last]:
        redact(event)
    return True


class _Retention:
    """Deletes conversations idle for longer than the retention period (the subclass deletes)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retention_seconds = float(os.environ.get("CONVERSATION_RETENTION_HOURS", "24")) * 3600
        self.purge_every_seconds = float(os.environ.get("CONVERSATION_PURGE_SECONDS", "300"))
        if self.retention_seconds <= 0 or self.purge_every_seconds <= 0:
            raise ValueError("CONVERSATION_RETENTION_HOURS and CONVERSATION_PURGE_SECONDS must be positive")
        self._next_purge = 0.0

    async def purge_expired(self) -> None:
        """Deletes every conversation whose last event is older than the retention period."""
        self._next_purge = time.monotonic() + self.purge_every_seconds
        deleted = await self._delete_idle_since(time.time() - self.retention_seconds)
        if deleted:
            logger.info("Deleted %d conversation(s) past the retention period", deleted)

    async def _purge_when_due(self) -> None:
        if time.monotonic() >= self._next_purge:
            await self.purge_expired()

    async def _delete_idle_since(self, cutoff: float) -> int:
        raise NotImplementedError


class RedactingInMemoryTrackerStore(_Retention, InMemoryTrackerStore):
    """Rasa's in-memory store (one Rasa process), redacting and forgetting as above."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._last_event_at: Dict[str, float] = {}  # so a purge need not parse every stored conversation

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        dialogue = tracker.as_dialogue().as_dict()
        redact_before_last_reset(dialogue["events"])
        self.store[tracker.sender_id] = json.dumps(dialogue)
        events = dialogue["events"]
        self._last_event_at[tracker.sender_id] = events[-1]["timestamp"] if events else time.time()
        await self._purge_when_due()

    async def _delete_idle_since(self, cutoff: float) -> int:
        idle = [sender for sender, last in self._last_event_at.items() if last < cutoff]
        for sender in idle:
            self.store.pop(sender, None)
            del self._last_event_at[sender]
        return len(idle)


class RedactingSQLTrackerStore(_Retention, SQLTrackerStore):
    """Rasa's SQL store (PostgreSQL when scaled out), redacting and forgetting as above. Rasa appends only
    the events it has not stored (it counts the rows), so a new reset also rewrites the rows stored before
    it, in place: the count stays right and the work is done once per reset, not on every save."""

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        with self.session_scope() as session:
            new = [event.as_dict() for event in self._additional_events(session, tracker)]
            if redact_before_last_reset(new):
                self._redact_stored(session, tracker.sender_id)
            session.add_all(self._row(tracker.sender_id, data) for data in new)
            session.commit()
        await self._purge_when_due()

    def _row(self, sender_id: str, data: Dict[str, Any]) -> "SQLTrackerStore.SQLEvent":
        """The row Rasa's own save() writes for the event."""
        return self.SQLEvent(
            sender_id=sender_id, type_name=data["event"], timestamp=data.get("timestamp"),
            intent_name=(data.get("parse_data") or {}).get("intent", {}).get("name"),
            action_name=data.get("name"), data=json.dumps(data))

    def _redact_stored(self, session: Any, sender_id: str) -> None:
        """Redacts the stored rows after the last stored reset: the ones before it were redacted already."""
        rows = self.SQLEvent
        done = session.query(sa.func.max(rows.id)).filter(rows.sender_id == sender_id, rows.type_name == RESET)
        for row in session.query(rows).filter(rows.sender_id == sender_id, rows.id > (done.scalar() or 0),
                                              rows.type_name.in_(SPOKEN)):
            row.data = json.dumps(redact(json.loads(row.data)))

    async def _delete_idle_since(self, cutoff: float) -> int:
        return await asyncio.to_thread(self._delete_rows_idle_since, cutoff)  # a table scan: off the event loop

    def _delete_rows_idle_since(self, cutoff: float) -> int:
        rows = self.SQLEvent
        idle = sa.select(rows.sender_id).group_by(rows.sender_id).having(sa.func.max(rows.timestamp) < cutoff)
        with self.session_scope() as session:
            conversations = session.query(sa.func.count()).select_from(idle.subquery()).scalar()
            session.query(rows).filter(rows.sender_id.in_(idle)).delete(synchronize_session=False)
            session.commit()
        return conversations


async def keep_purging(tracker_store: TrackerStore, every_seconds: Optional[float] = None) -> None:
    """Purges the redacting store inside Rasa's wrappers (FailSafeTrackerStore, AwaitableTrackerStore)
    forever; the Rasa server runs it as a background task."""
    store = tracker_store
    while not isinstance(store, _Retention) and hasattr(store, "_tracker_store"):
        store = store._tracker_store
    if not isinstance(store, _Retention):
        logger.warning("%s does not delete old conversations; no purging", type(store).__name__)
        return
    while True:
        try:
            await store.purge_expired()
        except Exception as exc:  # noqa: BLE001 - a database briefly away must not end the purging for good
            logger.warning("Purging old conversations failed (%s); trying again later", type(exc).__name__)
        await asyncio.sleep(every_seconds or store.purge_every_seconds)
