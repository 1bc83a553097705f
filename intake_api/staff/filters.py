"""Template filters for the console, and what every console page is given."""
from __future__ import annotations

from datetime import datetime

import phonenumbers

from referral_rules import contract

from ..callbacks import OUTCOMES
from ..store import service
from . import bp


# The console's pages in its header navigation: (endpoint, label).
CONSOLE_PAGES = (("staff.queue", "Queue"), ("staff.callbacks_page", "Call-backs"), ("staff.figures", "Figures"))


@bp.context_processor
def _line():
    """Every console page names the line it is for (the service definition's referral line)."""
    return {"line_name": f"{service().short_name} referral line", "console_pages": CONSOLE_PAGES}


@bp.app_template_filter("nhs_number")
def nhs_number(value: str | None) -> str:
    """An NHS number as people read and say it, 3-3-4: 943 476 5919."""
    digits = "".join(ch for ch in str(value or "") if ch.isdigit())
    if len(digits) != 10:
        return value or ""
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


@bp.app_template_filter("phone")
def phone(value: str | None) -> str:
    """A stored UK number (E.164, +447712345678) as people dial it: 07712 345678, 020 7946 0321."""
    try:
        return phonenumbers.format_number(phonenumbers.parse(value or "", "GB"), phonenumbers.PhoneNumberFormat.NATIONAL)
    except phonenumbers.NumberParseException:
        return value or ""


@bp.app_template_filter("localtime")
def localtime(moment: datetime | None, tz) -> str:
    """A stored UTC time as the service's local time, e.g. 24 Nov 2026 10:00."""
    if moment is None:
        return ""
    return moment.astimezone(tz).strftime("%d %b %Y %H:%M")


@bp.app_template_filter("choice")
def choice(value: str | None, path: str, missing: str = "not recorded") -> str:
    """A referral's stored value as staff read it (``{{ r.setting|choice('setting') }}``: "in a care home")."""
    return contract.choice_label(path, value, missing)


ACTIONS = {
    "referral.created": "Received",
    "referral.viewed": "Viewed",
    "referral.listed": "Listed (staff API)",
    "referral.status_changed": "Status changed",
    "referral.exported": "Exported",
    "referral.completed": "Completed from the console",
    "callback.outcome": "Call-back",
}


@bp.app_template_filter("action_label")
def action_label(action: str) -> str:
    """An audit action as staff would say it; unknown ones as they are stored."""
    return ACTIONS.get(action, action)


@bp.app_template_filter("outcome_label")
def outcome_label(outcome: str | None) -> str:
    """A call back's recorded outcome as staff chose it ("No answer — try again")."""
    return OUTCOMES.get(outcome or "", outcome or "")


@bp.app_template_filter("actor_label")
def actor_label(actor: str) -> str:
    """``staff:someone@cis.example`` as the e-mail address; ``service`` as the assistant."""
    if actor.startswith("staff:"):
        return actor.removeprefix("staff:")
    return {"service": "the assistant (service)", "cli": "an administrator (CLI)"}.get(actor, actor)
