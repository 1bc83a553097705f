"""The administration CLI (flask --app intake_api ...), as an operator would use it."""
import re

import pytest

from .test_referrers import verify


def test_enrol_without_a_pin_prints_a_generated_one_that_verifies(app, client, bot):
    result = app.test_cli_runner().invoke(args=[
        "referrer", "enrol", "--body", "NMC", "--number", "99A1234B", "--name", "Ruth Ade", "--profession", "nurse",
        "--organisation", "CLCH", "--phone", "020 7946 0111"])
    assert result.exit_code == 0, result.output
    pin = re.search(r"PIN: (\d{6})", result.output).group(1)
    ok = verify(client, bot, registration_body="NMC", registration_number="99A1234B", pin=pin)
    assert ok.status_code == 200
    assert ok.get_json()["referrer"]["phone"] == "+442079460111"


@pytest.mark.parametrize("args,complaint", [
    (["--body", "GMC", "--number", "123", "--profession", "gp"], "GMC number has 7 digits"),
    (["--body", "NMC", "--number", "7123456", "--profession", "gp"], "registered with GMC"),
    (["--body", "GMC", "--number", "7123456", "--profession", "surgeon"], "must be one of"),
    (["--body", "GMC", "--number", "7123456", "--profession", "gp", "--pin", "12ab56"], "a PIN is 6 digits"),
])
def test_enrol_refuses_bad_details_with_a_reason(app, args, complaint):
    result = app.test_cli_runner().invoke(args=["referrer", "enrol", "--name", "X", "--organisation", "Y", *args])
    assert result.exit_code != 0
    assert complaint in result.output


def test_enrolling_twice_is_refused(app, cli):
    cli("referrer", "enrol", "--body", "GMC", "--number", "7111111", "--name", "A", "--profession", "gp",
        "--organisation", "B", "--pin", "123456")
    again = app.test_cli_runner().invoke(args=[
        "referrer", "enrol", "--body", "GMC", "--number", "7111111", "--name", "A", "--profession", "gp",
        "--organisation", "B", "--pin", "123456"])
    assert again.exit_code != 0 and "already enrolled" in again.output


def test_staff_add_and_token_give_access_to_the_staff_api(client, cli):
    output = cli("staff", "add", "--email", "Lead@CIS.example")
    assert "Password: " in output
    token = cli("staff", "token", "--email", "lead@cis.example").strip()
    assert client.get("/api/referrals", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_add_episode_refuses_a_bad_nhs_number(app):
    result = app.test_cli_runner().invoke(args=[
        "client", "add-episode", "--nhs-number", "9434765918", "--dob", "1941-03-07", "--given-name", "E",
        "--family-name", "C", "--service", "rehab_reablement", "--ended", "2025-01-01"])
    assert result.exit_code != 0 and "doesn't add up" in result.output


def test_demo_load_prints_credentials_and_can_run_twice(cli):
    first, second = cli("demo", "load", "--allow-non-sqlite"), cli("demo", "load", "--allow-non-sqlite")
    assert "PIN 482913" in first and "staff@cis.example / demo-staff-password" in first
    assert first == second


def test_pins_and_staff_passwords_are_stored_only_as_argon2id_hashes(app, cli):
    from intake_api.models import Referrer, StaffUser

    cli("referrer", "enrol", "--body", "GMC", "--number", "7222222", "--name", "A", "--profession", "gp",
        "--organisation", "B", "--pin", "246810")
    cli("staff", "add", "--email", "hash@cis.example")
    with app.extensions["cis"]["sessions"]() as db:
        pin_hash = db.query(Referrer).filter_by(registration_number="7222222").one().pin_hash
        password_hash = db.query(StaffUser).filter_by(email="hash@cis.example").one().password_hash
    assert "246810" not in pin_hash
    assert pin_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")  # OWASP's settings: checked on every referral
    assert password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")  # RFC 9106's, for staff log-in
