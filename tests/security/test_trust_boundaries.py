"""Who can reach each port, and what each process believes without proof (README: Security model).

The action server and the Rasa server listen on the loopback interface only; the action server answers
nobody without the shared secret; and even a request that has it cannot make the case store take a
referral that no PIN check of the API's own stands behind."""
from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import requests

from tests.e2e.stack import ACTION_SERVER_TOKEN

from .helpers import NHS_NUMBER, referrals_of


def listening_addresses(port: int) -> set[str]:
    """The local addresses a port is listened on, from the kernel's own table (hex, as /proc shows them)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


LOOPBACK = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1 and ::1


def test_the_action_server_and_rasa_listen_on_loopback_only(stack):
    for port in (stack.actions_port, *stack.rasa_ports):
        addresses = listening_addresses(port)
        assert addresses and addresses <= LOOPBACK, (port, addresses)


def forged_call(conversation_id: str) -> dict:
    """What Rasa would send to run action_submit_referral, made up: a 'verified' GP and a whole referral,
    on a conversation that never checked a PIN (and claiming to be a telephone call)."""
    slots = {"caller_type": "professional", "registration_number": "GMC 7123456", "pin": "verified",
             "auth_outcome": "verified", "verification": "made-up-" + uuid.uuid4().hex,
             "referrer": {"name": "Dr Asha Patel", "kind": "health_professional"},
             "service": "rapid_response", "patient_name": "Edith Clarke", "patient_date_of_birth": "1941-03-07",
             "patient_nhs_number": NHS_NUMBER, "patient_address": "12 Porchester Square", "patient_postcode": "W2 4RJ",
             "patient_phone": "+447712345678", "lives_alone": True, "consent": "given", "setting": "home",
             "reason": "forged", "difficulties": ["walking"], "goals": ["shops"], "risks": [],
             "mental_health_crisis": False, "urgency": "urgent", "confirmed": True}
    user = {"event": "user", "text": "yes", "input_channel": "voice", "parse_data": {"intent": {"name": "affirm"}}}
    return {"next_action": "action_submit_referral", "version": "3.6.21", "domain": {},
            "tracker": {"sender_id": conversation_id, "slots": slots, "events": [user], "latest_message": user,
                        "active_loop": {}, "latest_action_name": "confirm_form", "paused": False}}


def test_a_forged_tracker_stores_nothing(stack):
    conversation_id = "call-CA" + uuid.uuid4().hex
    url = f"http://127.0.0.1:{stack.actions_port}/webhook"
    for headers in ({}, {"Authorization": "Bearer not-the-secret"}, {"Authorization": ACTION_SERVER_TOKEN}):
        refused = requests.post(url, json=forged_call(conversation_id), headers=headers, timeout=30)
        assert refused.status_code == 401
        assert "Edith" not in refused.text and NHS_NUMBER not in refused.text  # nothing echoed back
    # Even with the secret (a compromised Rasa server), the API wants its own record of a PIN check.
    answered = requests.post(url, json=forged_call(conversation_id), timeout=30,
                             headers={"Authorization": f"Bearer {ACTION_SERVER_TOKEN}"})
    assert answered.status_code == 200
    assert "couldn't be stored" in " ".join(r.get("text") or "" for r in answered.json()["responses"])
    assert referrals_of(stack, conversation_id) == []


def test_the_action_server_has_no_cors_for_web_pages(stack):
    preflight = requests.options(f"http://127.0.0.1:{stack.actions_port}/webhook", timeout=10, headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in preflight.headers


@pytest.mark.parametrize("path", ["/webhooks/voice/webhook"])
def test_rasa_takes_telephone_turns_only_from_the_gateway(stack, path):
    turn = {"sender": "CA" + uuid.uuid4().hex, "message": "hello"}
    assert requests.post(stack.rasa + path, json=turn, timeout=10).status_code == 403
