"""Request bodies the action server would send."""
import uuid


def referral_body(**changes) -> dict:
    """A complete GP Rapid Response referral as the action server posts it."""
    body = {
        "service": "rapid_response",
        "channel": "chat",
        "conversation_id": "conv-" + uuid.uuid4().hex[:8],
        "referrer": {"kind": "professional", "registration_body": "GMC", "registration_number": "7123456",
                     "phone": "020 7946 0999"},
        "patient": {"given_name": "Edith", "family_name": "Clarke", "date_of_birth": "1941-03-07",
                    "nhs_number": "943 476 5919", "address_line": "Flat 3, 12 Porchester Square",
                    "postcode": "w2 4rj", "phone": "07712 345678", "lives_alone": True},
        "consent": "given",
        "setting": "hospital",
        "expected_discharge_date": "2026-11-27",
        "reason": "Fall at home, now unsteady on her feet",
        "difficulties": ["mobility", "washing"],
        "goals": ["walk to the local shops"],
        "risks": ["falls", "lives alone"],
        "mental_health_crisis": False,
        "urgency": "urgent",
    }
    for key, value in changes.items():
        if "." in key:
            outer, inner = key.split(".", 1)
            body[outer] = {**body[outer], inner: value}
        else:
            body[key] = value
    return body
