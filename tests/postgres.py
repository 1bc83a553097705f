"""A PostgreSQL schema of the tests' own, emptied first, for the tests that need a real PostgreSQL."""
import os

import pytest
from sqlalchemy import create_engine, text

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def unavailable(reason: str) -> None:
    """Skip with the reason on a machine without the service; fail under CI, which must run the test."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason + " -- CI must run this test")
    pytest.skip(reason)


def fresh_schema(schema: str) -> str:
    """Drop and create ``schema``; the URL whose connections use it."""
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure to reach the server means "not here"
        unavailable(f"PostgreSQL not reachable at TEST_POSTGRES_URL ({type(exc).__name__})")
    separator = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
