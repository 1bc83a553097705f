"""What the security tests share: a referrer of the test's own, a whole chat referral, and searching every
place a value could be kept (logs, the case store, the tracker store) for identifiers."""
from __future__ import annotations

import random
import re
from pathlib import Path

PIN = "613572"
# The patient every referral here is about: each form a caller might give, and the forms the service keeps.
NHS_NUMBER, NHS_SPOKEN = "9434765919", "943 476 5919"
BORN_ISO, BORN_TYPED, BORN_SAID = "1941-03-07", "07/03/1941", "7th March 1941"
IDENTIFIERS = (PIN, NHS_NUMBER, NHS_SPOKEN, BORN_ISO, BORN_TYPED, BORN_SAID)


def enrol_gp(stack) -> str:
    """A GP of this test's own (so lock-outs here never touch another test), with PIN ``PIN``."""
    number = str(random.randint(3000000, 6999999))
    stack.flask("referrer", "enrol", "--body", "GMC", "--number", number, "--name", f"Dr Test {number}",
                "--profession", "gp", "--organisation", "Test Surgery", "--pin", PIN)
    return number


def referral_turns(gmc_number: str, **answers: str) -> list[str]:
    """A GP's whole Rapid Response referral, each answer as typed; ``answers`` replace some by question."""
    script = {"start": "I'm a GP", "gmc": gmc_number, "pin": PIN, "service": "rapid response",
              "name": "Mrs Edith Clarke", "born": BORN_SAID, "nhs": NHS_SPOKEN,
              "address": "Flat 3, 12 Porchester Square", "postcode": "W2 4RJ", "phone": "07712 345678",
              "alone": "yes she lives alone", "consent": "yes she has agreed", "setting": "at home",
              "reason": "fall at home, now unsteady on her feet", "difficulties": "walking and washing",
              "goals": "walk to the local shops", "risks": "falls", "crisis": "no", "urgency": "today",
              "confirm": "yes, send it"}
    script.update(answers)
    return list(script.values())


def chat(stack, turns: list[str], sender: str | None = None) -> tuple[str, list[str]]:
    """The conversation id and the assistant's replies, one string per turn."""
    if sender is None:
        sender, conversation_id = stack.new_chat()
    else:
        conversation_id = f"chat-{sender}"
    return conversation_id, [" ".join(stack.say(sender, turn)) for turn in turns]


def referrals_of(stack, conversation_id: str) -> list:
    return stack.rows("SELECT reference, idempotency_key, reason, goals, verification_id FROM referrals "
                      f"WHERE conversation_id = '{conversation_id}' ORDER BY id")


def found_in(text: str, values=IDENTIFIERS) -> list[str]:
    return [value for value in values if value in text]


def log_files(stack) -> dict[str, str]:
    return {path.name: path.read_text(errors="replace") for path in Path(stack.tmp).glob("*.log")}


def identifiers_in_logs(stack, values=IDENTIFIERS) -> dict[str, list[str]]:
    """Every log of every process of the stack, searched; {} when nothing is found."""
    return {name: hits for name, text in log_files(stack).items() if (hits := found_in(text, values))}


def mentions(texts: list[str], pattern: str) -> bool:
    return any(re.search(pattern, text, re.I) for text in texts)
