"""The live queue: the open first page asks for referrals that arrived since, without keeping a session alive."""
from .console import audit_actions, log_in, store_referral

ME = "staff:staff@cis.example"


def test_referrals_that_arrived_after_the_newest_shown_come_as_rows_to_add(app, client, bot, demo):
    first = store_referral(client, bot)
    log_in(client)
    page = client.get("/staff/").get_data(as_text=True)
    assert f'let newest = {first["id"]};' in page
    nothing = client.get(f"/staff/queue/arrived?after={first['id']}").get_json()
    assert nothing == {"rows": [], "newest": first["id"], "announce": "", "urgent": ""}
    assert f"{ME} queue.updated" not in audit_actions(app)  # nothing new shown, nothing to audit
    second = store_referral(client, bot, service="rehab_reablement", urgency="routine",
                            **{"patient.given_name": "Ivy"})
    arrived = client.get(f"/staff/queue/arrived?after={first['id']}").get_json()
    assert len(arrived["rows"]) == 1 and second["reference"] in arrived["rows"][0] and "Ivy" in arrived["rows"][0]
    assert arrived["newest"] == second["id"]
    assert arrived["announce"] == f"New referral {second['reference']}: Rehabilitation and Reablement."
    assert arrived["urgent"] == ""  # routine reablement is not announced at once
    assert f"{ME} queue.updated" in audit_actions(app)
    filtered = client.get(f"/staff/queue/arrived?after={first['id']}&service=rapid_response").get_json()
    assert filtered["rows"] == []  # the page's filters hold for what arrives


def test_an_urgent_rapid_response_referral_is_announced_at_once(client, bot, demo):
    log_in(client)
    urgent = store_referral(client, bot)
    arrived = client.get("/staff/queue/arrived?after=0").get_json()
    assert arrived["urgent"] == f"New referral {urgent['reference']}: Rapid Response, urgent."
    assert "Same-day service" in arrived["rows"][0] and ">New<" in arrived["rows"][0]


def test_asking_does_not_keep_an_idle_session_alive(client, demo, monkeypatch):
    monkeypatch.setenv("CIS_NOW", "2026-11-24T10:00:00+00:00")
    log_in(client)
    for minute in ("10:10", "10:20", "10:29"):
        monkeypatch.setenv("CIS_NOW", f"2026-11-24T{minute}:00+00:00")
        assert client.get("/staff/queue/arrived?after=0").status_code == 200
    monkeypatch.setenv("CIS_NOW", "2026-11-24T10:31:00+00:00")
    ended = client.get("/staff/queue/arrived?after=0")
    assert ended.status_code == 401 and "Reload the page" in ended.get_json()["message"]
    assert "/staff/login" in client.get("/staff/").headers["Location"]


def test_a_bad_after_is_a_400(client, demo):
    log_in(client)
    assert client.get("/staff/queue/arrived?after=soon").status_code == 400


def test_the_newest_a_filtered_page_shows_is_the_newest_it_matches(client, bot, demo):
    rapid = store_referral(client, bot)
    store_referral(client, bot, service="rehab_reablement", urgency="routine")
    log_in(client)
    page = client.get("/staff/?service=rapid_response").get_data(as_text=True)
    assert f'let newest = {rapid["id"]};' in page


def test_more_arrivals_than_a_page_come_over_the_next_askings_none_skipped(client, bot, demo, monkeypatch):
    from intake_api.staff import queue

    monkeypatch.setattr(queue, "PAGE_SIZE", 2)
    stored = [store_referral(client, bot) for _ in range(3)]
    log_in(client)
    first = client.get("/staff/queue/arrived?after=0").get_json()
    assert [r["reference"] in first["rows"][i] for i, r in enumerate(reversed(stored[:2]))] == [True, True]
    second = client.get(f"/staff/queue/arrived?after={first['newest']}").get_json()
    assert len(second["rows"]) == 1 and stored[2]["reference"] in second["rows"][0]
