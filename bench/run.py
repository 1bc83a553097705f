"""`make bench`: latency of whole referrals on this machine, written to docs/benchmarks.md.

Starts the real processes (tests/e2e/stack.py) and measures, over the REST channel:
one conversation at a time; 50 at once, each typist pausing 1-3 s between turns (and, the worst case,
exactly 2 s, when they fall into step); the highest sustained turns per second with no pause; and
POST /api/referrals on its own.
"""
from __future__ import annotations

import os
import platform
import random
import socket
import sys
import tempfile
import threading
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import requests
from sqlalchemy import create_engine, make_url, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.api.payloads import referral_body  # noqa: E402
from tests.e2e.stack import SERVICE_TOKEN, Stack  # noqa: E402
from voice import voice_rows, which  # noqa: E402  (bench/voice.py: the telephone's webhooks)

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_HOST = os.environ.get("REDIS_HOST", "127.0.0.1")
REDIS_PORT = int(os.environ.get("REDIS_PORT", "6379"))

REFERRAL = ["hi", "I'm a GP", "7123456", "482913", "rapid response please", "Mrs Edith Clarke", "7th March 1941",
            "943 476 5919", "Flat 3, 12 Porchester Square", "w2 4rj", "07712 345678", "yes she lives alone",
            "yes she's agreed", "at home", "fall at home, now unsteady on her feet", "mobility and washing",
            "walk to the local shops", "falls", "no", "today please", "yes that's all correct"]

PIN = REFERRAL[3]
# Every bench conversation is the same GP, so their PIN checks meet: the API checks at most the allowed tries of a
# registration at once and asks the rest to wait (503), and the assistant asks for the PIN again, as a person
# would be asked. The typist gives it again, as a person would (the turns count like any other).
PIN_AGAIN = "give your PIN again in a moment"
PIN_RETRIES = 3


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def whole_referral(stack: Stack, pause: float, timings: list, errors: list, jitter: float = 0.0,
                   seed: int = 0) -> None:
    """One GP's referral; between turns the typist pauses `pause` seconds, give or take up to `jitter`."""
    sender = "bench-" + uuid.uuid4().hex[:12]
    session = requests.Session()
    pauses = random.Random(seed)
    said = ""
    for message in REFERRAL:
        for _ in range(1 + PIN_RETRIES * (message == PIN)):
            started = time.perf_counter()
            try:
                reply = session.post(f"{stack.rasa}/webhooks/rest/webhook",
                                     json={"sender": sender, "message": message}, timeout=60)
                reply.raise_for_status()
                timings.append((time.perf_counter() - started) * 1000)
                if not reply.json():
                    errors.append(f"no answer to {message!r}")
                said = " ".join(m.get("text", "") for m in reply.json())
            except requests.RequestException as exc:
                errors.append(type(exc).__name__)
            time.sleep(pause + pauses.uniform(-jitter, jitter))
            if PIN_AGAIN not in said:
                break
    if "referral is stored" not in said:  # answered every turn, but the referral itself was not taken
        errors.append("not stored")


def concurrent(stack: Stack, conversations: int, pause: float, jitter: float = 0.0) -> tuple[list, list, float]:
    timings, errors = [], []
    threads = [threading.Thread(target=whole_referral, args=(stack, pause, timings, errors, jitter, seed))
               for seed in range(conversations)]
    started = time.perf_counter()
    for t in threads:
        t.start()
        time.sleep(pause / conversations if pause else 0)  # spread the starts like real arrivals
    for t in threads:
        t.join()
    return timings, errors, time.perf_counter() - started


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process and its children (Sanic's workers), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / tick
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += cpu_seconds(int(child))
    except FileNotFoundError:
        pass  # a worker that ended between the listing and the read
    return total


def cpu_per_turn(stack: Stack, before: dict[str, float], turns: int) -> str:
    used = {name: (cpu_seconds(pid) - before[name]) * 1000 / max(turns, 1) for name, pid in stack.pids.items()}
    return "CPU per turn: " + ", ".join(f"{name} {ms:.1f} ms" for name, ms in used.items())


def api_posts(stack: Stack, count: int) -> list[float]:
    """POST /api/referrals on its own: one verified GP's conversation storing `count` referrals, each with
    its own Idempotency-Key, as several referrals in one conversation are."""
    timings = []
    session = requests.Session()
    service = {"Authorization": f"Bearer {SERVICE_TOKEN}"}
    body = referral_body(expected_discharge_date=(date.today() + timedelta(days=3)).isoformat())  # the real clock
    checked = session.post(f"{stack.api}/api/referrers/verify", headers=service, timeout=30, json={
        "conversation_id": body["conversation_id"], "registration_body": "GMC", "registration_number": "7123456",
        "pin": "482913"})
    assert checked.status_code == 200, checked.text
    body["referrer"]["verification"] = checked.json()["verification"]["token"]
    for number in range(count):
        started = time.perf_counter()
        reply = session.post(f"{stack.api}/api/referrals", json=body, timeout=30, headers={
            **service, "Idempotency-Key": f"{body['conversation_id']}/{number}"})
        timings.append((time.perf_counter() - started) * 1000)
        assert reply.status_code == 201, reply.text
    return timings


def row(name: str, timings: list[float], errors: list | None = None, extra: str = "") -> str:
    return (f"| {name} | {len(timings)} | {percentile(timings, 50):.0f} | {percentile(timings, 95):.0f} | "
            f"{len(errors or [])} | {extra}{which(errors or [])} |")


def chat_rows(stack: Stack, label: str) -> list[str]:
    """The three chat measurements of SPEC section 8 against one running stack."""
    whole_referral(stack, 0, [], [])  # warm-up
    one: list[float] = []
    one_errors: list = []
    for _ in range(5):
        whole_referral(stack, 0, one, one_errors)
    fifty, fifty_errors, _ = concurrent(stack, 50, 2.0, jitter=1.0)
    in_step, in_step_errors, _ = concurrent(stack, 50, 2.0)
    before = {name: cpu_seconds(pid) for name, pid in stack.pids.items()}
    busy, busy_errors, busy_seconds = concurrent(stack, 8, 0.0)
    cpu = cpu_per_turn(stack, before, len(busy))
    return [
        row(f"{label}: chat turn, 1 conversation (5 whole referrals)", one, one_errors, "bar: p95 ≤ 200 ms"),
        row(f"{label}: chat turn, 50 conversations at once, pauses of 1-3 s (2 s on average)", fifty,
            fifty_errors, "bar: p95 ≤ 1000 ms, no errors"),
        row(f"{label}: chat turn, 50 conversations at once, pauses of exactly 2 s", in_step, in_step_errors,
            "worst case: the typists fall into step (see below)"),
        row(f"{label}: chat turn, 8 conversations, no pause", busy, busy_errors,
            f"sustained {len(busy) / busy_seconds:.1f} turns/s; {cpu}"),
    ]


def one_machine(tmp: Path) -> list[str]:
    stack = Stack(tmp / "default")
    stack.env.pop("CIS_NOW", None)
    try:
        stack.up()
        rows = chat_rows(stack, "one machine")
        posts = api_posts(stack, 200)
        voice = voice_rows(stack, row)
    finally:
        stack.down()
    return rows + [row("POST /api/referrals (200 requests, one client)", posts, [], "bar: p95 ≤ 50 ms"), *voice]


def scaled_out(tmp: Path) -> list[str]:
    """Two Rasa worker processes (SANIC_WORKERS=2) sharing conversations through the PostgreSQL tracker
    store and the Redis lock store, with a PostgreSQL case store: the set-up for more than one core."""
    try:
        case_store, scale_env = scale_out_settings()
    except Exception as exc:  # noqa: BLE001 - no PostgreSQL or Redis here: say so in the report
        return [f"| scale-out: not measured | | | | | PostgreSQL or Redis not reachable ({type(exc).__name__}) |"]
    stack = Stack(tmp / "scaled", database_url=case_store, scale_env={**scale_env, "SANIC_WORKERS": "2"})
    stack.env.pop("CIS_NOW", None)
    try:
        stack.up()
        label = "scale-out, 2 Rasa workers"
        return chat_rows(stack, label) + voice_rows(stack, row, f"{label}: ")
    finally:
        stack.down()


def scale_out_settings() -> tuple[str, dict]:
    postgres = make_url(POSTGRES_URL)
    engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS cis_bench CASCADE"))
        conn.execute(text("CREATE SCHEMA cis_bench"))
    engine.dispose()
    socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=3).close()
    scale_env = {"RASA_TRACKER_DB_HOST": postgres.host, "RASA_TRACKER_DB_PORT": str(postgres.port or 5432),
                 "RASA_TRACKER_DB_NAME": postgres.database, "RASA_TRACKER_DB_USER": postgres.username or "postgres",
                 "RASA_TRACKER_DB_PASSWORD": postgres.password or "", "REDIS_HOST": REDIS_HOST,
                 "REDIS_PORT": str(REDIS_PORT), "REDIS_DB": "2"}
    separator = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{separator}options=-csearch_path%3Dcis_bench", scale_env


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "default").mkdir()
        (Path(tmp) / "scaled").mkdir()
        rows = [
            "| measurement | turns | p50 ms | p95 ms | errors | notes |",
            "| --- | --- | --- | --- | --- | --- |",
            *one_machine(Path(tmp)),
            *scaled_out(Path(tmp)),
        ]
    report = "\n".join([
        "# Benchmarks", "",
        "Measured by `make bench` (bench/run.py): the real processes on this machine, whole GP referrals of "
        f"{len(REFERRAL)} turns over the REST channel. *One machine* is the default set-up (one Rasa process, "
        "SQLite case store, in-memory tracker and lock stores). *Scale-out* is two Rasa worker processes "
        "(`SANIC_WORKERS=2`) with Rasa's PostgreSQL tracker store, the Redis lock store and a PostgreSQL case store "
        "(endpoints.scale.yml).", "",
        f"- when: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.platform()}", "",
        *rows, "",
    ])
    notes = ROOT / "docs" / "benchmarks-notes.md"
    (ROOT / "docs" / "benchmarks.md").write_text(report + ("\n" + notes.read_text() if notes.exists() else ""))
    print(report)


if __name__ == "__main__":
    main()
