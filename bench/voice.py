"""Voice webhook latency for `make bench`: whole simulated calls (tests/voice/simulator.py) against the
running stack, timing every request Twilio would make (menu, each turn, read-backs, status callback).

One call at a time, then 20 calls at once. A caller on the phone listens to the question and speaks or
types the answer, so the calls at once pause CALLER_PAUSE seconds between answers.

`make bench` adds these rows to docs/benchmarks.md; `.venv/api/bin/python bench/voice.py` measures the voice
rows alone and replaces only them in docs/benchmarks.md.
"""
from __future__ import annotations

import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.stack import TWILIO_AUTH_TOKEN, Stack  # noqa: E402
from tests.voice.simulator import Call  # noqa: E402

CALLER_PAUSE = 5.0
# A GP's Rapid Response referral: numbers on the keypad (each read back and confirmed with 1), the rest spoken.
SCRIPT = [("press", "2"), ("say", "I'm a GP."), ("press", "7123456#"), ("press", "1"), ("press", "482913"),
          ("say", "Rapid response, please."), ("say", "Edith Clarke"), ("press", "07031941#"), ("press", "1"),
          ("press", "9434765919#"), ("press", "1"), ("say", "Flat 3, 12 Porchester Square"), ("say", "W2 4RJ"),
          ("press", "07712345678#"), ("press", "1"), ("say", "Yes, she lives alone."), ("say", "Yes, she's agreed."),
          ("say", "She's at home."), ("say", "A fall at home, now unsteady on her feet."),
          ("say", "Mobility and washing."), ("say", "Walk to the local shops."), ("say", "Falls."), ("say", "No."),
          ("say", "Today, please."), ("say", "Yes, that's all correct.")]


def whole_call(stack: Stack, pause: float, timings: list, errors: list) -> None:
    call = Call(stack.api, TWILIO_AUTH_TOKEN)
    try:
        call.dial_in()
        for how, what in SCRIPT:
            time.sleep(pause)
            getattr(call, how)(what)
        if not any("referral is stored" in line for line in call.heard):
            errors.append("no reference given")
        call.hang_up()
    except (AssertionError, OSError) as exc:
        errors.append(type(exc).__name__)
    timings.extend(r.milliseconds for r in call.requests)
    errors.extend(r.status for r in call.requests if r.status >= 300)


def calls_at_once(stack: Stack, calls: int, pause: float) -> tuple[list, list]:
    timings, errors = [], []
    threads = [threading.Thread(target=whole_call, args=(stack, pause, timings, errors)) for _ in range(calls)]
    for thread in threads:
        thread.start()
        time.sleep(pause / calls)  # calls arrive spread out, not on the same instant
    for thread in threads:
        thread.join()
    return timings, errors


def voice_rows(stack: Stack, row, label: str = "") -> list[str]:
    """Table rows in bench/run.py's format: ``row(name, timings, errors, notes)``."""
    whole_call(stack, 0, [], [])  # warm-up
    one, one_errors = calls_at_once(stack, 1, 0.0)
    for _ in range(2):
        more, more_errors = calls_at_once(stack, 1, 0.0)
        one, one_errors = one + more, one_errors + more_errors
    twenty, twenty_errors = calls_at_once(stack, 20, CALLER_PAUSE)
    return [
        row(f"{label}voice webhook, 1 call at a time (3 whole calls)", one, one_errors,
            "bar: p95 ≤ 300 ms"),
        row(f"{label}voice webhook, 20 calls at once, {CALLER_PAUSE:.0f} s between answers", twenty, twenty_errors,
            "bar: p95 ≤ 300 ms"),
    ]


def which(errors: list) -> str:
    """What went wrong, for the notes column: "; errors: 12 × no reference given, 4 × 502"."""
    if not errors:
        return ""
    return "; errors: " + ", ".join(f"{n} × {error}" for error, n in Counter(errors).most_common())


def replace_voice_rows(report: str, rows: list[str]) -> str:
    """The report with its voice rows replaced (or added at the end of its table)."""
    lines = [line for line in report.splitlines() if not line.startswith("| voice webhook")]
    table_end = max(i for i, line in enumerate(lines) if line.startswith("|")) + 1
    return "\n".join([*lines[:table_end], *rows, *lines[table_end:]]) + "\n"


def main() -> None:
    from run import row  # bench/run.py's table format

    with tempfile.TemporaryDirectory() as tmp:
        stack = Stack(Path(tmp))
        stack.env.pop("CIS_NOW", None)
        try:
            stack.up()
            rows = voice_rows(stack, row)
        finally:
            stack.down()
    report = ROOT / "docs" / "benchmarks.md"
    report.write_text(replace_voice_rows(report.read_text(), rows))
    print("\n".join(rows))


if __name__ == "__main__":
    main()
