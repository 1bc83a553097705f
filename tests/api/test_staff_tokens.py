"""Staff API tokens expire and can be revoked; a staff user can be deactivated (flask --app intake_api staff ...)."""
import pytest

from intake_api import config

from .console import DEMO_EMAIL, audit_actions, log_in


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def issue(app, email):
    result = run(app, "staff", "token", "--email", email)
    assert result.exit_code == 0, result.output
    return {"Authorization": f"Bearer {result.stdout.strip()}"}


def test_a_token_is_printed_alone_on_stdout_and_its_expiry_on_stderr(app, staff):
    result = run(app, "staff", "token", "--email", staff["email"])
    assert result.exit_code == 0
    assert len(result.stdout.split()) == 1  # a script takes the whole of stdout as the token
    assert "Expires 2026-11-24T22:00+00:00" in result.stderr


def test_a_token_works_for_twelve_hours_then_is_refused(app, client, staff, monkeypatch):
    monkeypatch.setenv("CIS_NOW", "2026-11-24T21:59:00+00:00")
    assert client.get("/api/referrals", headers=staff).status_code == 200
    monkeypatch.setenv("CIS_NOW", "2026-11-24T22:00:00+00:00")
    refused = client.get("/api/referrals", headers=staff)
    assert refused.status_code == 401 and "expired" in refused.get_json()["message"]


def test_the_token_lifetime_is_a_setting(app, client, staff, monkeypatch):
    app.config["STAFF_TOKEN_HOURS"] = 1
    try:
        short = issue(app, staff["email"])
    finally:
        app.config["STAFF_TOKEN_HOURS"] = 12
    monkeypatch.setenv("CIS_NOW", "2026-11-24T11:00:00+00:00")
    assert client.get("/api/referrals", headers=short).status_code == 401
    assert client.get("/api/referrals", headers=staff).status_code == 200


@pytest.mark.parametrize("value", ["0", "twelve", "-3"])
def test_a_bad_token_lifetime_stops_the_service_with_its_name(monkeypatch, value):
    monkeypatch.setenv("STAFF_TOKEN_HOURS", value)
    with pytest.raises(ValueError, match="STAFF_TOKEN_HOURS"):
        config.from_environment()


def test_revoking_by_email_ends_every_token_of_that_user_only(app, client, cli, staff):
    second = issue(app, staff["email"])
    cli("staff", "add", "--email", "other@cis.example", "--password", "another-long-password")
    other = issue(app, "other@cis.example")
    output = cli("staff", "token", "revoke", "--email", staff["email"])
    assert f"Revoked 2 tokens of {staff['email']}" in output
    for headers in (staff, second):
        assert client.get("/api/referrals", headers=headers).status_code == 401
    assert client.get("/api/referrals", headers=other).status_code == 200
    assert "cli staff.tokens_revoked" in audit_actions(app)


def test_revoking_one_token_leaves_the_others(app, client, cli, staff):
    second = issue(app, staff["email"])
    cli("staff", "token", "revoke", "--token", second["Authorization"].removeprefix("Bearer "))
    assert client.get("/api/referrals", headers=second).status_code == 401
    assert client.get("/api/referrals", headers=staff).status_code == 200
    assert "cli staff.token_revoked" in audit_actions(app)


@pytest.mark.parametrize("args,complaint", [
    ([], "Give either --email or --token"),
    (["--email", "a@cis.example", "--token", "x"], "Give either --email or --token"),
    (["--token", "not-a-token"], "No such staff token"),
    (["--email", "nobody@cis.example"], "No staff user nobody@cis.example"),
])
def test_revoke_refuses_unclear_or_unknown_targets(app, staff, args, complaint):
    result = run(app, "staff", "token", "revoke", *args)
    assert result.exit_code != 0 and complaint in result.output


def test_staff_token_without_an_email_says_what_to_give(app):
    result = run(app, "staff", "token")
    assert result.exit_code != 0 and "--email" in result.output


def test_a_deactivated_user_loses_tokens_sessions_and_log_in(app, client, cli, demo):
    token = issue(app, DEMO_EMAIL)
    log_in(client)
    assert client.get("/staff/").status_code == 200
    output = cli("staff", "deactivate", "--email", DEMO_EMAIL)
    assert "1 console session ended, 1 token revoked" in output
    assert client.get("/staff/").status_code == 302  # the open session has ended
    assert client.get("/api/referrals", headers=token).status_code == 401
    refused = log_in(app.test_client())
    assert refused.status_code == 401 and "do not match a staff account" in refused.get_data(as_text=True)
    assert run(app, "staff", "token", "--email", DEMO_EMAIL).exit_code != 0  # and no new token
    assert "cli staff.deactivated" in audit_actions(app)
