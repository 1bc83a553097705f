"""Template filters for the console."""
from __future__ import annotations

from datetime import datetime

from . import bp
from ..clock import aware


@bp.app_template_filter("localtime")
def localtime(moment: datetime | None, tz) -> str:
    """A stored UTC time as the service's local time, e.g. 24 Nov 2026 10:00."""
    if moment is None:
        return ""
    return aware(moment).astimezone(tz).strftime("%d %b %Y %H:%M")


ACTIONS = {
    "referral.created": "Received",
    "referral.viewed": "Viewed",
    "referral.listed": "Listed (staff API)",
    "referral.status_changed": "Status changed",
    "referral.exported": "Exported",
}


@bp.app_template_filter("action_label")
def action_label(action: str) -> str:
    """An audit action as staff would say it; unknown ones as they are stored."""
    return ACTIONS.get(action, action)


@bp.app_template_filter("actor_label")
def actor_label(actor: str) -> str:
    """``staff:someone@cis.example`` as the e-mail address; ``service`` as the assistant."""
    if actor.startswith("staff:"):
        return actor.removeprefix("staff:")
    return {"service": "the assistant (service)", "cli": "an administrator (CLI)"}.get(actor, actor)
