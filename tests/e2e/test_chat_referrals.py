"""Whole referrals through the REST channel, as a person would type them, then what the case store holds."""
import uuid

import pytest


def conversation(stack, turns: list[str]) -> tuple[str, list[list[str]]]:
    sender = "chat-" + uuid.uuid4().hex[:10]
    return sender, [stack.say(sender, message) for message in turns]


def referral_for(stack, sender: str) -> dict:
    listed = stack.staff_get("/api/referrals")["referrals"]
    matching = [r for r in listed if r["conversation_id"] == sender]
    assert len(matching) == 1, f"expected one referral for {sender}, found {len(matching)}"
    return stack.staff_get(f"/api/referrals/{matching[0]['id']}")


def test_a_gp_refers_a_patient_in_hospital_to_rapid_response(stack):
    sender, replies = conversation(stack, [
        "hi",
        "I'm a GP",
        "7123456",
        "482913",
        "rapid response please",
        "Mrs Edith Clarke",
        "7th March 1941",
        "943 476 5919",
        "Flat 3, 12 Porchester Square",
        "w2 4rj",
        "07712 345678",
        "yes she lives alone",
        "yes she's agreed",
        "she's on the ward at St Mary's",
        "27/11/2026",
        "fall at home last week, now unsteady on her feet",
        "mobility, washing and dressing",
        "walk to the local shops",
        "falls and lives alone",
        "no",
        "today please",
        "yes that's all correct",
    ])
    assert "GMC number" in " ".join(replies[1])
    assert "Dr Asha Patel" in " ".join(replies[3])
    final = " ".join(replies[-1])
    stored = referral_for(stack, sender)
    assert stored["reference"] in final
    assert stored["service"] == "rapid_response" and stored["channel"] == "chat" and stored["status"] == "new"
    assert stored["referrer"]["name"] == "Dr Asha Patel"
    assert stored["referrer"]["registration"] == {"body": "GMC", "number": "7123456"}
    assert stored["patient"] == {"given_name": "Edith", "family_name": "Clarke", "date_of_birth": "1941-03-07",
                                 "nhs_number": "9434765919", "address_line": "Flat 3, 12 Porchester Square",
                                 "postcode": "W2 4RJ", "phone": "+447712345678", "lives_alone": True}
    assert stored["borough"] == {"code": "E09000033", "name": "Westminster"}
    assert stored["consent"] == "given"
    assert stored["setting"] == "hospital" and stored["expected_discharge_date"] == "2026-11-27"
    assert stored["reason"] == "fall at home last week, now unsteady on her feet"
    assert stored["difficulties"] == ["mobility", "washing", "dressing"]
    assert stored["goals"] == ["walk to the local shops"]
    assert stored["risks"] == ["falls", "lives alone"]
    assert stored["mental_health_crisis"] is False
    assert stored["urgency"] == "urgent"
    assert stored["out_of_hours"] is False
