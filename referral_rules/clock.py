"""The one clock of the service: real time, or ``CIS_NOW`` for tests and demos."""
import os
from datetime import datetime, timezone


def now() -> datetime:
    """Current time, timezone-aware in UTC. ``CIS_NOW`` (ISO-8601) overrides the clock;
    a value without an offset is taken as UTC."""
    fixed = os.environ.get("CIS_NOW", "").strip()
    if not fixed:
        return datetime.now(timezone.utc)
    try:
        moment = datetime.fromisoformat(fixed.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValueError(f"CIS_NOW={fixed!r} is not an ISO-8601 time") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)

