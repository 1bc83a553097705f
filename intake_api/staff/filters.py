"""Template filters for the console."""
from __future__ import annotations

from datetime import datetime

from . import bp
from .sessions import aware


@bp.app_template_filter("localtime")
def localtime(moment: datetime | None, tz) -> str:
    """A stored UTC time as the service's local time, e.g. 24 Nov 2026 10:00."""
    if moment is None:
        return ""
    return aware(moment).astimezone(tz).strftime("%d %b %Y %H:%M")
