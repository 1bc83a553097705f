"""Fixtures for the intake API tests: the real Flask app on a real, migrated database.

Every test that takes ``app`` runs twice: on SQLite, and on PostgreSQL at TEST_POSTGRES_URL
(default: the local server at 127.0.0.1:5432, database test). Without a reachable PostgreSQL the
PostgreSQL half is skipped with the reason, except under CI=true, where it fails instead.
"""
from __future__ import annotations

import threading
import uuid

import pytest
from werkzeug.serving import make_server

from intake_api import create_app
from intake_api.limits import limiter
from intake_api.migrate import upgrade
from intake_api.models import Base

from ..postgres import fresh_schema

SERVICE_TOKEN = "test-service-token"


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'cis.sqlite3'}"
    else:
        url = fresh_schema("cis_test")
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def _app(database_url):
    app = create_app({"DATABASE_URL": database_url, "INTAKE_SERVICE_TOKEN": SERVICE_TOKEN, "TESTING": True})
    yield app
    app.extensions["cis"]["engine"].dispose()


@pytest.fixture
def app(_app, monkeypatch):
    """The app with an empty case store (schema kept) and the clock in opening hours."""
    monkeypatch.setenv("CIS_NOW", "2026-11-24T10:00:00+00:00")
    engine = _app.extensions["cis"]["engine"]
    limiter.reset()  # rate limits count per test
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    return _app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def bot():
    """Headers the action server sends."""
    return {"Authorization": f"Bearer {SERVICE_TOKEN}"}


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def run(*args):
        result = runner.invoke(args=list(args))
        assert result.exit_code == 0, result.output
        return result.stdout  # what a script reads (notes such as a token's expiry go to stderr)

    return run


@pytest.fixture
def demo(cli):
    """The demo directory: referrers (PIN 482913), returning clients and a staff user."""
    return cli("demo", "load", "--allow-non-sqlite")


@pytest.fixture
def staff(cli):
    email = f"nurse-{uuid.uuid4().hex[:6]}@cis.example"
    cli("staff", "add", "--email", email, "--password", "a-long-password")
    token = cli("staff", "token", "--email", email).strip()
    return {"Authorization": f"Bearer {token}", "email": email}


@pytest.fixture
def served(app):
    """The app behind a real threaded HTTP server, for requests that must truly arrive together: its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
