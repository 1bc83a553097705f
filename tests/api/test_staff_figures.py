"""The Figures page: referrals a day by channel and by service, declined contacts by reason, time to first triage
and dropped calls, for a range of local days, as charts, tables and CSV; counts and times only, audited."""
import csv
import io
import re

from sqlalchemy import select

from intake_api.models import AuditEntry

from .console import DEMO_EMAIL, csrf, log_in, store_referral
from .payloads import with_proof

ME = f"staff:{DEMO_EMAIL}"
RANGE = {"from": "2026-11-23", "to": "2026-11-24"}


def table(page_html: str, caption: str) -> list[list[str]]:
    """The table with that caption, as the text of its cells a row at a time (its header row first)."""
    match = re.search(rf"<caption[^>]*>{re.escape(caption)}</caption>(.*?)</table>", page_html, re.S)
    assert match, f"no table {caption!r}"
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", match.group(1), re.S)]


def chart(page_html: str, chart_id: str) -> str:
    match = re.search(rf'<svg[^>]*aria-labelledby="{chart_id}-title {chart_id}-desc".*?</svg>', page_html, re.S)
    assert match, f"no chart {chart_id}"
    return match.group(0)


def figures_csv(client, **args) -> list[dict]:
    response = client.get("/staff/figures.csv", query_string=args)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def value(rows: list[dict], measure: str, key: str, day: str = "") -> str:
    [row] = [r for r in rows if r["measure"] == measure and r["key"] == key and r["day"] == day]
    return row["value"]


def incomplete_intake(client, bot, conversation_id: str, channel: str = "voice") -> dict:
    """An intake that stopped part way (a telephone call that ended), as the action server stores it."""
    body = {"status": "incomplete", "channel": channel, "conversation_id": conversation_id,
            "service": "rapid_response",
            "referrer": {"kind": "professional", "registration_body": "GMC", "registration_number": "7123456",
                         "phone": "020 7946 0999"},
            "patient": {"given_name": "Edith", "family_name": "Clarke", "postcode": "SW1X 0BH"}}
    response = client.post("/api/referrals", json=with_proof(client, bot, body),
                           headers={**bot, "Idempotency-Key": conversation_id})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def change_status(client, referral_id: int, status: str, note: str = "Spoke to the referrer") -> None:
    """As staff do it on the referral page, logging in again if the clock moved past the session's idle limit."""
    page = client.get(f"/staff/referrals/{referral_id}")
    if page.status_code == 302:
        log_in(client)
        page = client.get(f"/staff/referrals/{referral_id}")
    token = csrf(page.get_data(as_text=True))
    response = client.post(f"/staff/referrals/{referral_id}/status",
                           data={"csrf_token": token, "status": status, "note": note})
    assert response.status_code == 302, response.get_data(as_text=True)


def entries(app, action: str) -> list[AuditEntry]:
    db = app.extensions["cis"]["sessions"]()
    try:
        return list(db.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))
    finally:
        db.close()


def two_days_of_referrals(client, bot, monkeypatch) -> list[dict]:
    """23 Nov: a chat referral to Rapid Response, a telephone one to Rehabilitation and Reablement.
    24 Nov: two chat ones to Rapid Response, a telephone one to Rehabilitation and Reablement, and a telephone
    intake (to Rapid Response) that stopped part way."""
    rehab = {"service": "rehab_reablement", "channel": "voice", "patient.postcode": "SW1X 0BH"}
    monkeypatch.setenv("CIS_NOW", "2026-11-23T09:00:00+00:00")
    stored = [store_referral(client, bot), store_referral(client, bot, **rehab)]
    monkeypatch.setenv("CIS_NOW", "2026-11-24T09:00:00+00:00")
    stored += [store_referral(client, bot), store_referral(client, bot), store_referral(client, bot, **rehab),
               incomplete_intake(client, bot, "CA-two-days")]
    monkeypatch.setenv("CIS_NOW", "2026-11-24T18:00:00+00:00")
    return stored


def test_referrals_are_counted_a_day_by_channel_and_by_service(client, bot, demo, monkeypatch):
    two_days_of_referrals(client, bot, monkeypatch)
    log_in(client)
    page = client.get("/staff/figures", query_string=RANGE).get_data(as_text=True)
    assert table(page, "Referrals a day, by channel") == [
        ["Day", "Chat", "Telephone", "Total"], ["2026-11-23", "1", "1", "2"], ["2026-11-24", "2", "2", "4"]]
    assert table(page, "Referrals a day, by service") == [
        ["Day", "Rapid Response", "Rehabilitation and Reablement", "Total"],
        ["2026-11-23", "1", "1", "2"], ["2026-11-24", "3", "1", "4"]]  # the incomplete intake counted too
    drawn = chart(page, "chart-by-channel")
    assert 'width="100%"' in drawn and 'viewBox="0 0 ' in drawn
    assert len(re.findall(r"<rect ", drawn)) == 4  # chat and telephone on each of the two days
    assert "2 days from 23 Nov 2026 to 24 Nov 2026: 6 referrals in all (Chat: 3, Telephone: 3)" in drawn
    assert re.search(r"<h2[^>]*>Referrals</h2>\s*<p[^>]*>6</p>", page)

    rows = figures_csv(client, **RANGE)
    assert list(rows[0]) == ["measure", "day", "key", "label", "value"]
    assert [value(rows, "referrals_by_channel", c, day) for day in RANGE.values() for c in ("chat", "voice")] == \
        ["1", "1", "2", "2"]
    assert [value(rows, "referrals_by_service", s, "2026-11-24") for s in ("rapid_response", "rehab_reablement")] \
        == ["3", "1"]


def test_only_the_dates_asked_for_are_counted_by_default_the_last_28_days(client, bot, demo, monkeypatch):
    two_days_of_referrals(client, bot, monkeypatch)
    monkeypatch.setenv("CIS_NOW", "2026-12-20T12:00:00+00:00")  # 24 Nov is 27 days back: still in the default
    log_in(client)
    one_day = table(client.get("/staff/figures?from=2026-11-24&to=2026-11-24").get_data(as_text=True),
                    "Referrals a day, by channel")
    assert one_day[1:] == [["2026-11-24", "2", "2", "4"]]
    default = client.get("/staff/figures").get_data(as_text=True)
    days = [row[0] for row in table(default, "Referrals a day, by channel")[1:]]
    assert len(days) == 28 and days[0] == "2026-11-23" and days[-1] == "2026-12-20"
    assert 'value="2026-11-23"' in default and 'value="2026-12-20"' in default  # the form shows the range
    assert ["2026-11-24", "2", "2", "4"] in table(default, "Referrals a day, by channel")
    monkeypatch.setenv("CIS_NOW", "2026-12-21T12:00:00+00:00")
    log_in(client)  # afresh: a day idle ends a session
    later = table(client.get("/staff/figures").get_data(as_text=True), "Referrals a day, by channel")
    assert later[1][0] == "2026-11-24" and ["2026-11-23", "1", "1", "2"] not in later
    assert [r["day"] for r in figures_csv(client, **{"from": "2026-11-24", "to": "2026-11-24"})
            if r["measure"] == "referrals_by_channel"] == ["2026-11-24", "2026-11-24"]


def test_a_day_is_a_local_day(client, bot, demo, monkeypatch):
    monkeypatch.setenv("CIS_NOW", "2026-07-01T23:30:00+00:00")  # 00:30 on 2 July in London (summer time)
    store_referral(client, bot)
    log_in(client)
    rows = table(client.get("/staff/figures?from=2026-07-01&to=2026-07-02").get_data(as_text=True),
                 "Referrals a day, by channel")
    assert rows[1:] == [["2026-07-01", "0", "0", "0"], ["2026-07-02", "1", "0", "1"]]


def test_declined_contacts_are_counted_by_reason(client, bot, demo, monkeypatch):
    monkeypatch.setenv("CIS_NOW", "2026-11-20T12:00:00+00:00")  # before the range
    client.post("/api/declined-contacts", headers=bot, json={"reason": "out_of_area", "channel": "voice"})
    monkeypatch.setenv("CIS_NOW", "2026-11-24T12:00:00+00:00")
    for reason in ("public_not_returning_client", "public_not_returning_client", "out_of_area"):
        assert client.post("/api/declined-contacts", headers=bot,
                           json={"reason": reason, "channel": "chat"}).status_code == 201
    log_in(client)
    page = client.get("/staff/figures", query_string=RANGE).get_data(as_text=True)
    assert table(page, "Declined contacts, by reason") == [
        ["Reason", "Number"], ["public not returning client", "2"], ["out of area", "1"]]
    assert "3 declined contacts: public not returning client, 2; out of area, 1." in chart(page, "chart-declined")
    rows = figures_csv(client, **RANGE)
    assert value(rows, "declined_by_reason", "public_not_returning_client") == "2"
    assert value(rows, "declined_by_reason", "out_of_area") == "1"
    assert "None in these dates." in client.get("/staff/figures?from=2026-11-01&to=2026-11-19").get_data(as_text=True)


def test_time_to_first_triage_median_and_90th_centile(client, bot, demo, monkeypatch):
    stored = [store_referral(client, bot)["id"] for _ in range(4)]  # received at 10:00 (the fixture's clock)
    log_in(client)
    page = client.get("/staff/figures", query_string=RANGE).get_data(as_text=True)
    assert "There is no referral triaged yet from these dates; 4 still waiting." in page
    assert re.search(r">Median time to first triage</h2>\s*<p[^>]*>no referral triaged yet</p>", page)
    for rid, at in zip(stored, ("10:30", "11:00", "14:00")):  # waits of 30, 60 and 240 minutes; one untriaged
        monkeypatch.setenv("CIS_NOW", f"2026-11-24T{at}:00+00:00")
        change_status(client, rid, "triaged")
    monkeypatch.setenv("CIS_NOW", "2026-11-24T20:00:00+00:00")
    change_status(client, stored[0], "accepted")  # a later change is not the first triage
    page = client.get("/staff/figures", query_string=RANGE).get_data(as_text=True)
    summary = re.search(r'<dl[^>]*app-triage[^>]*>(.*?)</dl>', page, re.S).group(1)
    shown = dict(zip(re.findall(r"<dt[^>]*>(.*?)</dt>", summary), re.findall(r"<dd[^>]*>(.*?)</dd>", summary)))
    # the 90th centile, inclusive: 60 + 0.8 x (240 - 60) = 204 minutes
    assert shown == {"Median": "1 hour", "90th centile (9 in 10 within)": "3 hours 24 minutes",
                     "Triaged": "3", "Still waiting": "1"}
    assert re.search(r">Median time to first triage</h2>\s*<p[^>]*>1 hour</p>", page)
    assert table(page, "Referrals by time to first triage")[1:] == [
        ["under 1 hour", "1"], ["1 to 4 hours", "1"], ["4 to 24 hours", "1"], ["1 to 3 days", "0"],
        ["over 3 days", "0"]]
    rows = figures_csv(client, **RANGE)
    assert [value(rows, "time_to_triage", k) for k in ("median_minutes", "p90_minutes", "triaged", "waiting")] == \
        ["60", "204", "3", "1"]


def test_a_telephone_intake_that_stopped_part_way_is_a_dropped_call(client, bot, demo, monkeypatch):
    monkeypatch.setenv("CIS_NOW", "2026-11-24T22:30:00+00:00")
    store_referral(client, bot, channel="voice")  # a whole telephone referral: not dropped
    incomplete_intake(client, bot, "CA-chat-stopped", channel="chat")  # a chat that stopped: not a call
    incomplete_intake(client, bot, "CA-dropped-1")
    followed_up = incomplete_intake(client, bot, "CA-dropped-2")
    monkeypatch.setenv("CIS_NOW", "2026-11-25T09:00:00+00:00")
    change_status(client, followed_up["id"], "declined", "Called back: not needed")  # still a dropped call
    two_days = {"from": "2026-11-24", "to": "2026-11-25"}
    page = client.get("/staff/figures", query_string=two_days).get_data(as_text=True)
    assert table(page, "Dropped calls a day") == [["Day", "Dropped calls"], ["2026-11-24", "2"], ["2026-11-25", "0"]]
    assert re.search(r">Dropped calls</h2>\s*<p[^>]*>2</p>", page)
    assert len(re.findall(r"<rect ", chart(page, "chart-dropped"))) == 1
    rows = figures_csv(client, **two_days)
    assert value(rows, "dropped_calls", "voice", "2026-11-24") == "2"


def test_a_bad_date_is_a_400_page_naming_it(client, demo):
    log_in(client)
    for query, said in (("from=yesterday", "from must be a date like"), ("to=2026-13-01", "to must be a date like"),
                        ("from=2026-11-25&to=2026-11-24", "from must be on or before to"),
                        ("from=2024-01-01&to=2026-11-24", "at most 366 days")):
        for path in ("/staff/figures", "/staff/figures.csv"):
            response = client.get(f"{path}?{query}")
            assert response.status_code == 400 and "text/html" in response.content_type, (path, query)
            assert said in response.get_data(as_text=True), (path, query)
    assert not entries(client.application, "figures.viewed")


def test_the_figures_need_a_staff_log_in(client, demo):
    for path in ("/staff/figures", "/staff/figures.csv"):
        response = client.get(path)
        assert response.status_code == 302 and "/staff/login" in response.headers["Location"]


def test_the_figures_are_in_the_header_navigation(client, demo):
    log_in(client)
    queue = client.get("/staff/").get_data(as_text=True)
    assert re.search(r'<a class="nhsuk-header__navigation-link" href="/staff/figures">Figures</a>', queue)
    figures = client.get("/staff/figures").get_data(as_text=True)
    assert re.search(r'href="/staff/figures" aria-current="page">Figures</a>', figures)


def test_no_patient_details_are_shown_or_exported(client, bot, demo, monkeypatch):
    stored = two_days_of_referrals(client, bot, monkeypatch)
    log_in(client)
    page = client.get("/staff/figures", query_string=RANGE).get_data(as_text=True)
    exported = client.get("/staff/figures.csv", query_string=RANGE).get_data(as_text=True)
    assert "Chat" in page and "6" in page  # the figures are there
    for text in (page, exported):
        for detail in ("Edith", "Clarke", "9434765919", "943 476 5919", "1941", "07712", "Porchester", "W2 4RJ",
                       "GMC", "7123456", *(r["reference"] for r in stored), "CA-two-days", "conv-"):
            assert detail not in text, detail


def test_each_view_and_download_is_audited_with_its_dates(app, client, demo):
    log_in(client)
    client.get("/staff/figures")
    client.get("/staff/figures", query_string=RANGE)
    response = client.get("/staff/figures.csv", query_string=RANGE)
    assert 'filename="cis-figures-2026-11-23-to-2026-11-24.csv"' in response.headers["Content-Disposition"]
    viewed, exported = entries(app, "figures.viewed"), entries(app, "figures.exported")
    assert [(e.actor, e.detail) for e in viewed] == [(ME, {"from": "2026-10-28", "to": "2026-11-24"}),
                                                     (ME, RANGE)]
    assert [(e.actor, e.detail, e.referral_id) for e in exported] == [(ME, RANGE, None)]
