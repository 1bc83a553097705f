"""`make bench`: latency of whole referrals on this machine, written to docs/benchmarks.md.

Starts the real processes (tests/e2e/stack.py) and measures, over the REST channel:
one conversation at a time; 50 at once with a typist's 2 s pause between turns; the highest sustained
turns per second with no pause; and POST /api/referrals on its own.
"""
from __future__ import annotations

import platform
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.api.payloads import referral_body  # noqa: E402
from tests.e2e.stack import SERVICE_TOKEN, Stack  # noqa: E402

from voice import voice_rows  # noqa: E402  (bench/voice.py: the telephone's webhooks)

REFERRAL = ["hi", "I'm a GP", "7123456", "482913", "rapid response please", "Mrs Edith Clarke", "7th March 1941",
            "943 476 5919", "Flat 3, 12 Porchester Square", "w2 4rj", "07712 345678", "yes she lives alone",
            "yes she's agreed", "at home", "fall at home, now unsteady on her feet", "mobility and washing",
            "walk to the local shops", "falls", "no", "today please", "yes that's all correct"]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def whole_referral(stack: Stack, pause: float, timings: list, errors: list) -> None:
    sender = "bench-" + uuid.uuid4().hex[:12]
    session = requests.Session()
    for message in REFERRAL:
        started = time.perf_counter()
        try:
            reply = session.post(f"{stack.rasa}/webhooks/rest/webhook", json={"sender": sender, "message": message},
                                 timeout=60)
            reply.raise_for_status()
            timings.append((time.perf_counter() - started) * 1000)
            if not reply.json():
                errors.append(f"no answer to {message!r}")
        except requests.RequestException as exc:
            errors.append(type(exc).__name__)
        time.sleep(pause)


def concurrent(stack: Stack, conversations: int, pause: float) -> tuple[list, list, float]:
    timings, errors = [], []
    threads = [threading.Thread(target=whole_referral, args=(stack, pause, timings, errors))
               for _ in range(conversations)]
    started = time.perf_counter()
    for t in threads:
        t.start()
        time.sleep(pause / conversations if pause else 0)  # spread the starts like real arrivals
    for t in threads:
        t.join()
    return timings, errors, time.perf_counter() - started


def api_posts(stack: Stack, count: int) -> list[float]:
    timings = []
    session = requests.Session()
    for _ in range(count):
        body = referral_body()
        started = time.perf_counter()
        reply = session.post(f"{stack.api}/api/referrals", json=body, timeout=30, headers={
            "Authorization": f"Bearer {SERVICE_TOKEN}", "Idempotency-Key": body["conversation_id"]})
        timings.append((time.perf_counter() - started) * 1000)
        assert reply.status_code == 201, reply.text
    return timings


def row(name: str, timings: list[float], errors: list | None = None, extra: str = "") -> str:
    return (f"| {name} | {len(timings)} | {percentile(timings, 50):.0f} | {percentile(timings, 95):.0f} | "
            f"{len(errors or [])} | {extra} |")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        stack = Stack(Path(tmp))
        stack.env.pop("CIS_NOW", None)
        try:
            stack.up()
            whole_referral(stack, 0, [], [])  # warm-up
            one: list[float] = []
            one_errors: list = []
            for _ in range(5):
                whole_referral(stack, 0, one, one_errors)
            fifty, fifty_errors, _ = concurrent(stack, 50, 2.0)
            busy, busy_errors, busy_seconds = concurrent(stack, 8, 0.0)
            posts = api_posts(stack, 200)
            voice = voice_rows(stack, row)
        finally:
            stack.down()
    rows = [
        "| measurement | turns | p50 ms | p95 ms | errors | notes |",
        "| --- | --- | --- | --- | --- | --- |",
        row("chat turn, 1 conversation (5 whole referrals)", one, one_errors, "bar: p95 ≤ 200 ms"),
        row("chat turn, 50 conversations at once, 2 s pauses", fifty, fifty_errors, "bar: p95 ≤ 1000 ms, no errors"),
        row("chat turn, 8 conversations, no pause", busy, busy_errors,
            f"sustained {len(busy) / busy_seconds:.1f} turns/s"),
        row("POST /api/referrals (200 requests, one client)", posts, [], "bar: p95 ≤ 50 ms"),
        *voice,
    ]
    report = "\n".join([
        "# Benchmarks", "",
        "Measured by `make bench` (bench/run.py): the three real processes on one machine, SQLite case store, "
        "in-memory tracker and lock stores, whole GP referrals of "
        f"{len(REFERRAL)} turns over the REST channel.", "",
        f"- when: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- machine: {platform.machine()}, {__import__('os').cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.platform()}", "",
        *rows, "",
    ])
    (ROOT / "docs" / "benchmarks.md").write_text(report)
    print(report)


if __name__ == "__main__":
    main()
