"""A PostgreSQL schema of the tests' own, emptied first, for the tests that need a real PostgreSQL.
Its name carries the test process's id, so two test runs on one machine never share it."""
import atexit
import os

import pytest
from sqlalchemy import create_engine, text

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def unavailable(reason: str) -> None:
    """Skip with the reason on a machine without the service; fail under CI, which must run the test."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason + " -- CI must run this test")
    pytest.skip(reason)


def fresh_schema(prefix: str) -> str:
    """Create a schema of this test run's own, dropped when the run ends; the URL whose connections use it."""
    schema = f"{prefix}_{os.getpid()}"
    try:
        _execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE", f"CREATE SCHEMA {schema}")
    except Exception as exc:  # noqa: BLE001 - any failure to reach the server means "not here"
        unavailable(f"PostgreSQL not reachable at TEST_POSTGRES_URL ({type(exc).__name__})")
    atexit.register(_drop, schema)
    separator = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"


def _execute(*statements: str) -> None:
    engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def _drop(schema: str) -> None:
    try:
        _execute("SET lock_timeout = '5s'", f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    except Exception:  # noqa: BLE001 - a schema left behind only takes space; the next run uses another name
        pass
