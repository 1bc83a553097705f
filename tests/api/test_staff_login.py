"""Staff log-in: sessions in the case store, cookie flags, CSRF on every form, lock-out, idle time-out."""

from ..at_once import at_once
from .console import DEMO_EMAIL, audit_actions, csrf, log_in, status_shown


def test_a_staff_user_logs_in_and_reaches_the_queue(app, client, demo):
    response = log_in(client)
    assert response.status_code == 302 and response.headers["Location"].endswith("/staff/")
    cookie = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookie if c.startswith("cis_staff_session="))
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie and "Secure" not in session_cookie
    queue = client.get("/staff/")
    assert queue.status_code == 200
    assert f"Logged in as {DEMO_EMAIL}" in queue.get_data(as_text=True)
    assert f"staff:{DEMO_EMAIL} staff.logged_in" in audit_actions(app)


def test_the_cookie_is_secure_behind_https(app, client, demo):
    app.config["PUBLIC_BASE_URL"] = "https://cis.example"
    try:
        response = log_in(client)
    finally:
        app.config["PUBLIC_BASE_URL"] = "http://127.0.0.1:5000"
    session_cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("cis_staff_session="))
    assert "Secure" in session_cookie


def test_pages_need_a_login(client, demo):
    response = client.get("/staff/referrals/1?x=1")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
    assert client.get("/staff/export.csv").status_code == 302


def test_a_wrong_password_is_refused(app, client, demo):
    response = log_in(client, password="not-the-password")
    assert response.status_code == 401
    assert "do not match a staff account" in response.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302
    assert f"staff:{DEMO_EMAIL} staff.login_failed" in audit_actions(app)


def test_an_unknown_email_gets_the_same_answer(client, demo):
    response = log_in(client, email="nobody@cis.example")
    assert response.status_code == 401 and "do not match a staff account" in response.get_data(as_text=True)


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(client, demo, monkeypatch):
    for _ in range(5):
        assert log_in(client, password="wrong").status_code == 401
    locked = log_in(client)  # even the right password, while locked
    assert locked.status_code == 423 and "locked" in locked.get_data(as_text=True)
    monkeypatch.setenv("CIS_NOW", "2026-11-24T10:14:00+00:00")
    assert log_in(client).status_code == 423
    monkeypatch.setenv("CIS_NOW", "2026-11-24T10:16:00+00:00")
    assert log_in(client).status_code == 302


def test_a_login_without_the_csrf_token_is_refused(client, demo):
    client.get("/staff/login")
    response = client.post("/staff/login", data={"email": DEMO_EMAIL, "password": "demo-staff-password"})
    assert response.status_code == 403
    assert "did not come from a page of the staff console" in response.get_data(as_text=True)
    assert log_in(client, token="forged").status_code == 403


def test_a_status_change_without_the_csrf_token_is_refused(app, client, bot, demo):
    from .console import store_referral

    referral = store_referral(client, bot)
    log_in(client)
    response = client.post(f"/staff/referrals/{referral['id']}/status", data={"status": "triaged", "note": "ok"})
    assert response.status_code == 403
    page = client.get(f"/staff/referrals/{referral['id']}").get_data(as_text=True)
    assert status_shown(page) == "new"


def test_an_idle_session_expires(app, client, demo, monkeypatch):
    log_in(client)
    monkeypatch.setenv("CIS_NOW", "2026-11-24T10:29:00+00:00")
    assert client.get("/staff/").status_code == 200  # use keeps it alive
    monkeypatch.setenv("CIS_NOW", "2026-11-24T11:00:00+00:00")
    response = client.get("/staff/")
    assert response.status_code == 302 and "reason=expired" in response.headers["Location"]
    assert "time without use" in client.get(response.headers["Location"]).get_data(as_text=True)
    monkeypatch.setenv("CIS_NOW", "2026-11-24T11:01:00+00:00")
    assert client.get("/staff/").status_code == 302  # an ended session stays ended
    assert f"staff:{DEMO_EMAIL} staff.session_expired" in audit_actions(app)


def test_the_idle_limit_is_configurable(app, client, demo, monkeypatch):
    app.config["STAFF_SESSION_IDLE_MINUTES"] = 5
    try:
        log_in(client)
        monkeypatch.setenv("CIS_NOW", "2026-11-24T10:06:00+00:00")
        assert client.get("/staff/").status_code == 302
    finally:
        app.config["STAFF_SESSION_IDLE_MINUTES"] = 30


def test_log_out_ends_the_session(app, client, demo):
    log_in(client)
    page = client.get("/staff/").get_data(as_text=True)
    cookie = client.get_cookie("cis_staff_session").value
    response = client.post("/staff/logout", data={"csrf_token": csrf(page)})
    assert response.status_code == 302 and "reason=logged_out" in response.headers["Location"]
    client.set_cookie("cis_staff_session", cookie)  # the old cookie, replayed
    assert client.get("/staff/").status_code == 302
    assert f"staff:{DEMO_EMAIL} staff.logged_out" in audit_actions(app)


def test_after_login_only_console_pages_are_followed(app, client, demo):
    response = log_in(client, next="https://evil.example/")
    assert response.headers["Location"].endswith("/staff/")
    response = log_in(app.test_client(), next="/staff/export.csv?status=new")
    assert response.headers["Location"].endswith("/staff/export.csv?status=new")


def test_twenty_wrong_passwords_at_once_get_five_answers_and_the_lock(app, client, demo):
    """The count is one conditional UPDATE, so a burst cannot outrun the lock-out (SQLite and PostgreSQL)."""
    browsers = [app.test_client() for _ in range(20)]
    tokens = [csrf(browser.get("/staff/login").get_data(as_text=True)) for browser in browsers]

    def guess(number: int) -> int:
        return browsers[number].post("/staff/login", data={
            "email": DEMO_EMAIL, "password": f"wrong-{number}", "csrf_token": tokens[number]}).status_code

    answers = at_once(guess, range(len(browsers)))
    assert sorted(answers) == [401] * 5 + [423] * 15
    assert log_in(client).status_code == 423  # the right password too, while locked
    actions = audit_actions(app)
    assert actions.count(f"staff:{DEMO_EMAIL} staff.login_failed") == 5
    assert actions.count(f"staff:{DEMO_EMAIL} staff.locked_out") == 1
