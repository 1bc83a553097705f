"""What the console marks on a referral at a glance, and the order a clinician reads it in."""
from __future__ import annotations

from ..models import Referral
from ..store import service

SAFEGUARDING_WORDS = ("safeguard", "abuse", "neglect", "exploitation", "self-neglect", "domestic violence")


def badges(r: Referral) -> list[tuple[str, str]]:
    """(css class, label) for each flag that applies."""
    marks = []
    if r.status == "incomplete":
        marks.append(("incomplete", "Incomplete"))
    if r.out_of_hours:
        marks.append(("ooh", "Out of hours"))
    if r.urgency == "urgent":
        marks.append(("urgent", "Urgent"))
    offered = service().services.get(r.service or "")
    if offered and offered.urgent_response:
        marks.append(("same_day", "Same-day service"))
    if r.mental_health_crisis:
        marks.append(("crisis", "Mental health crisis"))
    if any(word in str(risk).lower() for risk in (r.risks or []) for word in SAFEGUARDING_WORDS):
        marks.append(("safeguarding", "Safeguarding"))
    return marks
