"""Three wrong PINs lock a registration however fast they arrive, on SQLite and on PostgreSQL; an unknown
registration looks the same as a locked one; and checks are rate-limited per conversation."""
from __future__ import annotations

import random
import uuid

import pytest
import requests

from tests.at_once import at_once
from tests.e2e.stack import SERVICE_TOKEN

from .helpers import PIN, chat, enrol_gp


def fire_at_once(stack, requests_to_send: list[dict]) -> list[int]:
    """Every PIN check posted at the same moment: the answers' status codes."""
    def send(body):
        return requests.post(f"{stack.api}/api/referrers/verify", json=body, timeout=60,
                             headers={"Authorization": f"Bearer {SERVICE_TOKEN}"}).status_code

    return at_once(send, requests_to_send)


@pytest.mark.parametrize("case_store", ["stack", "scaled"])  # SQLite, PostgreSQL
def test_twenty_wrong_pins_at_once_get_at_most_three_tries(request, case_store):
    stack = request.getfixturevalue(case_store)
    number = enrol_gp(stack)
    guesses = [{"conversation_id": f"chat-attacker-{i}", "registration_body": "GMC", "registration_number": number,
                "pin": f"{random.randint(0, 999999):06d}".replace(PIN, "000000")} for i in range(20)]
    statuses = fire_at_once(stack, guesses)
    assert statuses.count(401) <= 2 and statuses.count(423) >= 1, statuses  # a 503: being checked, try again
    assert statuses.count(401) + statuses.count(423) + statuses.count(503) == 20, statuses
    # Locked: even the right PIN is refused now.
    right = requests.post(f"{stack.api}/api/referrers/verify", timeout=30, headers={
        "Authorization": f"Bearer {SERVICE_TOKEN}"}, json={**guesses[0], "pin": PIN, "conversation_id": "chat-gp"})
    assert right.status_code == 423
    failed = stack.rows(f"SELECT count(*) FROM audit_log WHERE action = 'referrer.verify_failed' "
                        f"AND CAST(detail AS TEXT) LIKE '%{number}%'")[0][0]
    assert failed <= 3


def test_after_three_failures_an_unknown_registration_looks_locked(stack):
    number = enrol_gp(stack)
    unknown = str(int(number) + 1) if int(number) < 6999999 else "7000001"
    replies = {}
    for registration in (number, unknown):
        _, said = chat(stack, ["I'm a GP", registration, "111111", registration, "222222", registration, "333333"])
        replies[registration] = said
    assert "locked for 15 minutes" in replies[number][-1]
    assert replies[number] == replies[unknown]  # word for word the same


def test_pin_checks_are_limited_per_conversation(stack):
    conversation = "chat-" + uuid.uuid4().hex
    numbers = [enrol_gp(stack) for _ in range(3)]
    answers = []
    for number in numbers * 3:  # nine tries across three registrations: no lock-out, but too many for one chat
        reply = requests.post(f"{stack.api}/api/referrers/verify", timeout=30, headers={
            "Authorization": f"Bearer {SERVICE_TOKEN}"}, json={
            "conversation_id": conversation, "registration_body": "GMC", "registration_number": number,
            "pin": "000000"})
        answers.append(reply.status_code)
    assert answers[:6] == [401] * 6 and answers[6:] == [429] * 3
