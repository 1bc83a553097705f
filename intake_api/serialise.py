"""Referrals as the API shows them: the fields of referral_rules.contract at their SPEC section 6 names."""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from referral_rules import contract

from .models import AuditEntry, Referral

_SHOWN = [f for f in contract.FIELDS.values() if f.column]


def iso(value: date | datetime | None) -> str | None:
    """A date as 2026-11-24; a moment (the case store gives them back in UTC) as 2026-11-24T10:00:00Z."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def _shown(kind: str, value: Any) -> Any:
    if kind in ("date", "date_of_birth", "datetime"):
        return iso(value)
    if kind in ("list", "contacts"):
        return value or []
    return value


def referral_dict(r: Referral) -> dict:
    shown: dict = {}
    for field in _SHOWN:
        contract.put(shown, field.path, _shown(field.kind, getattr(r, field.column)))
    for path in contract.NULL_WHEN_EMPTY:
        *outer, key = path.split(".")
        parent = shown
        for name in outer:
            parent = parent[name]
        if all(value is None for value in parent[key].values()):
            parent[key] = None
    return shown


def audit_dict(entry: AuditEntry) -> dict:
    return {"at": iso(entry.at), "actor": entry.actor, "action": entry.action, "detail": entry.detail or {}}


def with_history(r: Referral, history: list[AuditEntry]) -> dict:
    """The referral and who changed, viewed or exported it (oldest first)."""
    return {**referral_dict(r), "history": [audit_dict(e) for e in history]}
