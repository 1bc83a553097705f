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


def with_proof(client, bot, body: dict) -> dict:
    """The body naming the check its conversation passed, as the action server sends it: the professional's
    PIN checked (the demo PIN), or the returning client found by NHS number and date of birth."""
    proven = try_proof(client, bot, body)
    assert "verification" in proven["referrer"], "the check did not pass"
    return proven


def try_proof(client, bot, body: dict) -> dict:
    """As with_proof, but a check that fails (an unknown referrer, someone never supported) leaves the body
    without proof, for the API to refuse."""
    referrer, patient = body["referrer"], body.get("patient") or {}
    if not isinstance(referrer, dict) or referrer.get("verification"):
        return body
    if referrer["kind"] == "professional":
        checked = client.post("/api/referrers/verify", headers=bot, json={
            "conversation_id": body["conversation_id"], "registration_body": referrer["registration_body"],
            "registration_number": referrer["registration_number"], "pin": "482913"})
    elif not (patient.get("nhs_number") and patient.get("date_of_birth")):
        return body
    else:
        checked = client.post("/api/clients/lookup", headers=bot, json={
            "conversation_id": body["conversation_id"], "nhs_number": patient["nhs_number"],
            "date_of_birth": patient["date_of_birth"]})
    proof = (checked.get_json() or {}).get("verification") if checked.status_code == 200 else None
    return {**body, "referrer": {**referrer, "verification": proof["token"]}} if proof else body
