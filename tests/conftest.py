"""The running service, shared by the end-to-end, security and browser tests (one pytest run: make test-e2e):
the intake API, the action server and Rasa as real processes on free local ports (tests/e2e/stack.py).

- ``stack``: the one-machine default (SQLite case store, in-memory tracker and lock stores), the CIS line.
- ``west_lothian``: the same, for the second service file, at three in the morning.
- ``scaled``: the scale-out set-up (PostgreSQL case store and tracker store, Redis lock store, two Rasa
  servers taking turns); skipped with the reason when PostgreSQL or Redis is not reachable, failed under CI.

Imports are inside the fixtures: the API and bot test runs load this file too.
"""
import os
import socket

import pytest

REDIS = (os.environ.get("REDIS_HOST", "127.0.0.1"), int(os.environ.get("REDIS_PORT", "6379")))


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    from tests.e2e.stack import MODEL, Stack

    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make model` (make test does this first)")
    running = Stack(tmp_path_factory.mktemp("stack"))
    try:
        running.up()
        yield running
    finally:
        running.down()


@pytest.fixture(scope="session")
def west_lothian(tmp_path_factory):
    """A second line from its service file alone (data/services/west-lothian.yml), at 03:00: open 24/7."""
    from tests.e2e.stack import MODEL, Stack

    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make model` (make test does this first)")
    running = Stack(tmp_path_factory.mktemp("west_lothian"), service_file="data/services/west-lothian.yml",
                    now="2026-11-25T03:00:00+00:00")
    try:
        running.up()
        yield running
    finally:
        running.down()


@pytest.fixture(scope="session")
def scaled(tmp_path_factory):
    from sqlalchemy import make_url

    from tests.e2e.stack import Stack
    from tests.postgres import POSTGRES_URL, fresh_schema, unavailable

    case_store = fresh_schema("cis_e2e")
    fresh_schema("rasa_e2e")  # Rasa's events, in a schema of this run's own (POSTGRESQL_SCHEMA)
    tracker_schema = f"rasa_e2e_{os.getpid()}"
    try:
        socket.create_connection(REDIS, timeout=3).close()
    except OSError as exc:
        unavailable(f"Redis not reachable at {REDIS[0]}:{REDIS[1]} ({type(exc).__name__})")
    url = make_url(POSTGRES_URL)
    scale_env = {"RASA_TRACKER_DB_HOST": url.host, "RASA_TRACKER_DB_PORT": str(url.port or 5432),
                 "RASA_TRACKER_DB_NAME": url.database, "RASA_TRACKER_DB_USER": url.username or "postgres",
                 "RASA_TRACKER_DB_PASSWORD": url.password or "", "REDIS_HOST": REDIS[0], "REDIS_PORT": str(REDIS[1]),
                 "REDIS_DB": "1", "POSTGRESQL_SCHEMA": tracker_schema, "RATELIMIT_STORAGE_URI": f"redis://{REDIS[0]}:{REDIS[1]}/2",
                 # Old conversations are looked for every 2 s (tests/security backdates one).
                 "CONVERSATION_PURGE_SECONDS": "2"}
    running = Stack(tmp_path_factory.mktemp("scaled"), database_url=case_store, scale_env=scale_env,
                    rasa_processes=2)
    try:
        running.up()
        yield running
    finally:
        running.down()
