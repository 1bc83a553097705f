"""Every read of identifiable data by staff is in the audit log: lists, one referral, every download."""
import pytest
from sqlalchemy import select

from intake_api.models import AuditEntry

from .console import DEMO_EMAIL, audit_actions, log_in, store_referral


def entries(app, action):
    db = app.extensions["cis"]["sessions"]()
    try:
        return list(db.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))
    finally:
        db.close()


def test_the_staff_api_list_is_audited_once_and_in_each_referral_returned(app, client, bot, demo, staff, monkeypatch):
    older = store_referral(client, bot)
    monkeypatch.setenv("CIS_NOW", "2026-11-24T11:00:00+00:00")
    newer = store_referral(client, bot)
    listed = client.get("/api/referrals?status=new&limit=1", headers=staff).get_json()["referrals"]
    assert [r["id"] for r in listed] == [newer["id"]]
    [listing] = entries(app, "referrals.listed")
    assert listing.actor == f"staff:{staff['email']}"
    assert listing.detail == {"filters": {"status": "new"}, "limit": 1, "offset": 0, "count": 1}
    assert f"staff:{staff['email']} referral.listed" in audit_actions(app, newer["id"])
    assert f"staff:{staff['email']} referral.listed" not in audit_actions(app, older["id"])  # not returned


def test_the_staff_api_lists_at_most_a_hundred_at_a_time(client, staff):
    assert client.get("/api/referrals?limit=100", headers=staff).status_code == 200
    too_many = client.get("/api/referrals?limit=101", headers=staff)
    assert too_many.status_code == 400 and "up to 100" in too_many.get_json()["message"]


@pytest.mark.parametrize("read", ["/api/referrals/{id}", "/api/referrals/{id}/fhir", "/staff/referrals/{id}",
                                  "/staff/referrals/{id}.json", "/staff/export.csv"])
def test_each_way_of_reading_a_referral_leaves_an_entry_in_its_history(app, client, bot, demo, read):
    referral = store_referral(client, bot)
    log_in(client)
    before = audit_actions(app, referral["id"])
    assert client.get(read.format(id=referral["id"])).status_code == 200
    added = audit_actions(app, referral["id"])[len(before):]
    assert len(added) == 1 and added[0].startswith(f"staff:{DEMO_EMAIL} referral.")


def test_the_queue_view_names_the_referrals_it_showed(app, client, bot, demo):
    shown = store_referral(client, bot)
    log_in(client)
    client.get("/staff/?service=rapid_response")
    [view] = entries(app, "queue.viewed")
    assert view.detail["filters"] == {"service": "rapid_response"}
    assert view.detail["referral_ids"] == [shown["id"]]
