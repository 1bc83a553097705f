"""Referrals as the API shows them (SPEC section 6 field names)."""
from __future__ import annotations

from datetime import date, datetime, timezone

from .clock import aware
from .models import AuditEntry, Referral


def iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return aware(value).astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def referral_dict(r: Referral) -> dict:
    return {
        "id": r.id,
        "reference": r.reference,
        "status": r.status,
        "service": r.service,
        "channel": r.channel,
        "conversation_id": r.conversation_id,
        "received_at": iso(r.received_at),
        "out_of_hours": r.out_of_hours,
        "referrer": {
            "kind": r.referrer_kind,
            "id": r.referrer_id,
            "name": r.referrer_name,
            "profession": r.referrer_profession,
            "registration": ({"body": r.referrer_registration_body, "number": r.referrer_registration_number}
                             if r.referrer_registration_body else None),
            "organisation": r.referrer_organisation,
            "relationship": r.referrer_relationship,
            "phone": r.referrer_phone,
        },
        "patient": {
            "given_name": r.patient_given_name,
            "family_name": r.patient_family_name,
            "date_of_birth": iso(r.patient_date_of_birth),
            "nhs_number": r.patient_nhs_number,
            "address_line": r.patient_address_line,
            "postcode": r.patient_postcode,
            "phone": r.patient_phone,
            "lives_alone": r.patient_lives_alone,
        },
        "borough": {"code": r.borough_code, "name": r.borough_name} if r.borough_code else None,
        "routing": {"contacts": r.routing_contacts or []},
        "consent": r.consent,
        "setting": r.setting,
        "expected_discharge_date": iso(r.expected_discharge_date),
        "reason": r.reason,
        "difficulties": r.difficulties or [],
        "goals": r.goals or [],
        "risks": r.risks or [],
        "mental_health_crisis": r.mental_health_crisis,
        "urgency": r.urgency,
    }


def audit_dict(entry: AuditEntry) -> dict:
    return {"at": iso(entry.at), "actor": entry.actor, "action": entry.action, "detail": entry.detail or {}}
