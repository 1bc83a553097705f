"""The staff console's pages: the queue, one referral, status changes, CSV export, and what the audit log keeps."""
import csv
import io

from .console import DEMO_EMAIL, audit_actions, csrf, log_in, status_shown, store_referral, structure, tags
from .payloads import with_proof

ME = f"staff:{DEMO_EMAIL}"


def test_the_queue_lists_newest_first_and_filters(app, client, bot, demo, monkeypatch):
    first = store_referral(client, bot)
    monkeypatch.setenv("CIS_NOW", "2026-11-25T09:00:00+00:00")
    second = store_referral(client, bot, service="rehab_reablement", channel="voice",
                            **{"patient.postcode": "SW1X 0BH", "patient.given_name": "Ivy"})
    log_in(client)
    page = client.get("/staff/").get_data(as_text=True)
    assert page.index(second["reference"]) < page.index(first["reference"])
    assert "2 referrals." in page
    for query, shown, hidden in (
        ("service=rapid_response", first, second), ("channel=voice", second, first),
        ("borough=E09000020", second, first), ("from=2026-11-25", second, first), ("to=2026-11-24", first, second),
        ("status=new&service=&borough=&channel=&from=&to=", first, None),
    ):
        page = client.get(f"/staff/?{query}").get_data(as_text=True)
        assert shown["reference"] in page, query
        assert hidden is None or hidden["reference"] not in page, query


def test_a_bad_filter_is_a_clear_400_page(client, demo):
    log_in(client)
    response = client.get("/staff/?from=yesterday")
    assert response.status_code == 400 and "text/html" in response.content_type
    assert "from must be a date like" in response.get_data(as_text=True)
    assert client.get("/staff/?status=lost").status_code == 400


def test_the_queue_marks_incomplete_out_of_hours_urgent_crisis_and_safeguarding(client, bot, demo, monkeypatch):
    monkeypatch.setenv("CIS_NOW", "2026-11-24T22:30:00+00:00")
    store_referral(client, bot, mental_health_crisis=True, risks=["safeguarding concern: possible neglect"],
                   expected_discharge_date="2026-11-30")
    log_in(client)
    shown = tags(client.get("/staff/").get_data(as_text=True))
    for badge in ("Out of hours", "Urgent", "Mental health crisis", "Safeguarding"):
        assert badge in shown, badge
    assert "Incomplete" not in shown
    body = {"status": "incomplete", "channel": "voice", "conversation_id": "CA0123456789abcdef",
            "service": "rapid_response",
            "referrer": {"kind": "professional", "registration_body": "GMC", "registration_number": "7123456",
                         "phone": "020 7946 0999"},
            "patient": {"given_name": "Edith", "family_name": "Clarke", "postcode": "SW1X 0BH"}}
    assert client.post("/api/referrals", json=with_proof(client, bot, body),
                       headers={**bot, "Idempotency-Key": "CA1"}).status_code == 201
    assert "Incomplete" in tags(client.get("/staff/?status=incomplete").get_data(as_text=True))


def test_the_queue_counts_declined_contacts_by_reason_and_day(client, bot, demo, monkeypatch):
    for reason in ("public_not_returning_client", "public_not_returning_client", "out_of_area"):
        client.post("/api/declined-contacts", headers=bot, json={"reason": reason, "channel": "chat"})
    monkeypatch.setenv("CIS_NOW", "2026-11-23T12:00:00+00:00")
    client.post("/api/declined-contacts", headers=bot, json={"reason": "out_of_area", "channel": "voice"})
    monkeypatch.setenv("CIS_NOW", "2026-11-24T12:00:00+00:00")
    log_in(client)
    page = client.get("/staff/").get_data(as_text=True)
    table = structure(page[page.index('app-declined'):])
    assert "public not returning client" in table and "out of area" in table
    # columns: out_of_area, public_not_returning_client (sorted); newest day first
    assert '<th scope="row">2026-11-24</th><td>1</td><td>2</td>' in table
    assert '<th scope="row">2026-11-23</th><td>1</td><td>0</td>' in table


def test_the_referral_page_shows_every_field_in_clinician_order(app, client, bot, demo):
    referral = store_referral(client, bot)
    log_in(client)
    page = structure(client.get(f"/staff/referrals/{referral['id']}").get_data(as_text=True))
    headings = ["Patient", "Referrer", "Service and urgency", "Setting", "Reason for referral", "Difficulties",
                "Goals", "Risks", "Borough routing", "Change status", "History"]
    positions = [page.index(f">{h}</h2>") for h in headings]
    assert positions == sorted(positions)
    for shown in ("Edith", "Clarke", "1941-03-07", "943 476 5919", "Flat 3, 12 Porchester Square", "W2 4RJ",
                  "07712 345678", "Dr Asha Patel", "GMC 7123456", "Verified with PIN", "ODS E87012",
                  "Rapid Response", "urgent", "hospital", "2026-11-27", "Fall at home, now unsteady on her feet",
                  "mobility", "washing", "walk to the local shops", "falls", "lives alone", "Westminster",
                  "Adult Social Care: 020 7641 2500", "the assistant (service)</td>", "Received</td>"):
        assert shown in page, shown


def test_each_view_and_change_is_audited_once_and_shown(app, client, bot, demo):
    referral = store_referral(client, bot)
    rid = referral["id"]
    log_in(client)
    page = client.get(f"/staff/referrals/{rid}").get_data(as_text=True)
    response = client.post(f"/staff/referrals/{rid}/status",
                           data={"csrf_token": csrf(page), "status": "triaged", "note": "Called the GP back"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Status changed to triaged." in page and "Called the GP back" in page
    assert f"<td>{DEMO_EMAIL}</td>" in structure(page) and "Status changed: new → triaged" in page
    assert status_shown(page) == "triaged"
    assert audit_actions(app, rid) == ["service referral.created", f"{ME} referral.viewed",
                                       f"{ME} referral.status_changed", f"{ME} referral.viewed"]
    assert page.count('audit-entry"') == 4


def test_a_status_change_needs_a_note_and_an_allowed_transition(app, client, bot, demo):
    rid = store_referral(client, bot)["id"]
    log_in(client)
    token = csrf(client.get(f"/staff/referrals/{rid}").get_data(as_text=True))
    no_note = client.post(f"/staff/referrals/{rid}/status", data={"csrf_token": token, "status": "triaged",
                                                                   "note": "   "})
    assert no_note.status_code == 422 and "needs a note" in no_note.get_data(as_text=True)
    # The referral page again, its form with the status chosen, saying what is missing (as the API's 422 does).
    page = no_note.get_data(as_text=True)
    assert 'role="alert"' in page and '<option value="triaged" selected>' in page and 'id="note"' in page
    long_note = client.post(f"/staff/referrals/{rid}/status", data={"csrf_token": token, "status": "triaged",
                                                                     "note": "why " * 1001})
    assert long_note.status_code == 400 and "longer than 4000 characters" in long_note.get_data(as_text=True)
    assert ("why " * 1001).strip() in long_note.get_data(as_text=True)  # what was written is not lost
    skip = client.post(f"/staff/referrals/{rid}/status", data={"csrf_token": token, "status": "accepted",
                                                                "note": "straight in"})
    assert skip.status_code == 409 and "can move to triaged" in skip.get_data(as_text=True)
    assert f"{ME} referral.status_changed" not in audit_actions(app, rid)
    assert client.get("/staff/referrals/999999").status_code == 404


def test_the_page_offers_only_the_allowed_next_statuses(client, bot, demo):
    rid = store_referral(client, bot)["id"]
    log_in(client)
    page = client.get(f"/staff/referrals/{rid}").get_data(as_text=True)
    form = page[page.index('id="new-status"'):page.index("</select>", page.index('id="new-status"'))]
    assert '<option value="triaged">' in form and "accepted" not in form
    assert '<label for="note">' in structure(page) and '<label for="new-status">' in structure(page)


def test_the_json_download_is_audited(app, client, bot, demo):
    referral = store_referral(client, bot)
    log_in(client)
    response = client.get(f"/staff/referrals/{referral['id']}.json")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    assert response.get_json()["reference"] == referral["reference"]
    assert f"{ME} referral.exported" in audit_actions(app, referral["id"])
    assert "Exported as JSON" in client.get(f"/staff/referrals/{referral['id']}").get_data(as_text=True)


def test_the_csv_export_follows_the_filters_and_leaves_out_patient_identifiers(app, client, bot, demo):
    rapid = store_referral(client, bot, reason="=HYPERLINK(\"x\")")
    reablement = store_referral(client, bot, service="rehab_reablement", **{"patient.postcode": "SW1X 0BH"})
    log_in(client)
    response = client.get("/staff/export.csv?service=rehab_reablement")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["reference"] for r in rows] == [reablement["reference"]]
    assert rows[0]["borough"] == "Kensington and Chelsea" and rows[0]["status"] == "new"
    everything = client.get("/staff/export.csv").get_data(as_text=True)
    assert rapid["reference"] in everything
    for identifier in ("9434765919", "1941-03-07", "Clarke", "HYPERLINK"):
        assert identifier not in everything
    assert audit_actions(app, reablement["id"]).count(f"{ME} referral.exported") == 2
    assert audit_actions(app, rapid["id"]).count(f"{ME} referral.exported") == 1
