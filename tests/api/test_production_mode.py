"""CIS_ENV=production: the service will not start with demo accounts, generated or weak secrets, or a test
clock; administration through the flask command line still works."""
import secrets

import pytest
from click.testing import CliRunner
from flask.cli import FlaskGroup
from sqlalchemy import func, select

from intake_api import create_app
from intake_api.models import Client, Referrer, StaffUser

from .console import store_referral

SECRET_NAMES = ("INTAKE_SERVICE_TOKEN", "TWILIO_AUTH_TOKEN", "SECRET_KEY", "ACTION_SERVER_TOKEN")


@pytest.fixture
def production(app, database_url, tmp_path, monkeypatch):
    """Settings of a production deployment on the test case store (emptied by ``app``), without the test clock."""
    monkeypatch.delenv("CIS_NOW")
    generated = tmp_path / "local.env"
    generated.write_text("".join(f"{name}={secrets.token_urlsafe(24)}\n" for name in SECRET_NAMES))
    return {"CIS_ENV": "production", "DATABASE_URL": database_url, "GENERATED_SECRETS_FILE": generated,
            "WARM_POSTCODES": False, **{name: secrets.token_urlsafe(32) for name in SECRET_NAMES}}


def start(settings):
    """Build the app as waitress-serve does; it is closed again at once."""
    built = create_app(settings)
    built.extensions["cis"]["engine"].dispose()
    return built


def refusal(settings) -> str:
    with pytest.raises(RuntimeError) as refused:
        start(settings)
    return str(refused.value)


def count(app, query):
    with app.extensions["cis"]["sessions"]() as db:
        return db.scalar(select(func.count()).select_from(query.subquery()))


def test_it_starts_with_secrets_of_its_own_and_no_demo_accounts(production, cli):
    cli("staff", "add", "--email", "lead@cis.example", "--password", "a-long-password")
    assert start(production).test_client().get("/healthz").status_code == 200


def test_demo_accounts_stop_it_until_they_are_removed(production, demo, cli):
    message = refusal(production)
    assert "demo accounts (1 demo staff user, 8 active demo referrers, 2 demo returning clients)" in message
    assert "flask --app intake_api demo remove" in message
    cli("demo", "remove")
    start(production)


def test_a_generated_secret_stops_it_and_is_named_but_not_shown(production):
    generated = production["GENERATED_SECRETS_FILE"].read_text().splitlines()[1].split("=", 1)[1]
    message = refusal({**production, "TWILIO_AUTH_TOKEN": generated})
    assert "TWILIO_AUTH_TOKEN is a value `make run` generated" in message
    assert generated not in message


def test_every_missing_or_short_secret_is_named_at_once(production):
    message = refusal({**production, "INTAKE_SERVICE_TOKEN": "", "ACTION_SERVER_TOKEN": "x" * 31})
    assert "INTAKE_SERVICE_TOKEN is not set" in message
    assert "ACTION_SERVER_TOKEN is shorter than 32 characters" in message
    assert "SECRET_KEY" not in message and "TWILIO_AUTH_TOKEN" not in message


def test_an_unset_secret_key_is_not_made_up_in_production(production, monkeypatch):
    monkeypatch.setenv("CIS_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    settings = {name: value for name, value in production.items() if name != "SECRET_KEY"}
    assert "SECRET_KEY is not set" in refusal(settings)


def test_a_test_clock_stops_it(production, monkeypatch):
    monkeypatch.setenv("CIS_NOW", "2026-11-24T10:00:00+00:00")
    assert "CIS_NOW is set" in refusal(production)


def test_an_unmigrated_store_is_refused_with_what_to_do(production, tmp_path):
    message = refusal({**production, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"})
    assert "flask --app intake_api db upgrade" in message


def test_a_development_service_starts_with_demo_accounts(production, demo):
    start({**production, "CIS_ENV": "development"})


def test_administration_works_in_production_with_demo_accounts_left(app, production, demo):
    flask = FlaskGroup(create_app=lambda: create_app(production))  # the `flask --app intake_api` command line
    runner = CliRunner()
    load = runner.invoke(flask, ["demo", "load", "--allow-non-sqlite"])
    assert load.exit_code != 0 and "demo data is for local demonstrations only" in load.output
    removed = runner.invoke(flask, ["demo", "remove"])
    assert removed.exit_code == 0, removed.output
    assert "Removed 1 demo staff user, 8 demo referrers, 2 demo clients." in removed.output
    start(production)


def test_demo_remove_keeps_a_demo_referrer_a_referral_names_but_deactivates_it(app, client, bot, production, demo,
                                                                                cli, monkeypatch):
    monkeypatch.setenv("CIS_NOW", "2026-11-24T10:00:00+00:00")  # the test referral's dates are about then
    referral = store_referral(client, bot)  # by the demo GP, GMC 7123456
    monkeypatch.delenv("CIS_NOW")
    output = cli("demo", "remove")
    assert "Kept because stored referrals name them: 1 demo referrer (deactivated)" in output
    assert count(app, select(Referrer).where(Referrer.active)) == 0
    assert count(app, select(Referrer)) == 1
    verify = client.post("/api/referrers/verify", headers=bot, json={
        "conversation_id": "after-removal", "registration_body": "GMC", "registration_number": "7123456",
        "pin": "482913"})
    assert verify.status_code != 200
    start(production)
    cli("staff", "add", "--email", "lead@cis.example", "--password", "a-long-password")
    token = cli("staff", "token", "--email", "lead@cis.example").strip()
    read = client.get(f"/api/referrals/{referral['id']}", headers={"Authorization": f"Bearer {token}"})
    assert read.get_json()["referrer"]["name"] == "Dr Asha Patel"


def test_demo_load_marks_only_what_it_creates(app, cli):
    cli("referrer", "enrol", "--body", "GMC", "--number", "7123456", "--name", "Dr Asha Patel", "--profession", "gp",
        "--organisation", "Westbourne Green Surgery", "--pin", "135790")
    cli("demo", "load", "--allow-non-sqlite")
    assert count(app, select(Referrer).where(Referrer.demo)) == 7
    assert count(app, select(Client).where(Client.demo)) == 2
    assert count(app, select(StaffUser).where(StaffUser.demo)) == 1
    cli("demo", "remove")
    kept = count(app, select(Referrer).where(Referrer.registration_number == "7123456", Referrer.active))
    assert kept == 1  # the real enrolment stays
    assert count(app, select(Client)) == 0 and count(app, select(StaffUser)) == 0
