"""Finding any referral in the console (by reference, NHS number or name; each search audited without what was
typed), the queue a page at a time, and the CSV export in parts."""
import csv
import io
import json

from sqlalchemy import select

from intake_api.models import AuditEntry
from intake_api.staff import queue

from .console import log_in, store_referral


def searched(app) -> list[dict]:
    db = app.extensions["cis"]["sessions"]()
    try:
        return [e.detail for e in db.scalars(select(AuditEntry).where(AuditEntry.action == "referrals.searched")
                                             .order_by(AuditEntry.id))]
    finally:
        db.close()


def test_a_referral_is_found_by_reference_nhs_number_or_name(app, client, bot, demo):
    edith = store_referral(client, bot)
    ivy = store_referral(client, bot, **{"patient.given_name": "Ivy", "patient.family_name": "Ellis",
                                         "patient.nhs_number": "401 023 2137"})
    log_in(client)
    for typed, found, not_found in ((edith["reference"].lower(), edith, ivy), ("4010232137", ivy, edith),
                                    ("401-023-2137", ivy, edith), ("Mrs Ellis", ivy, edith),
                                    ("ivy ell", ivy, edith), ("CLARKE", edith, ivy)):
        page = client.get("/staff/search", query_string={"q": typed}).get_data(as_text=True)
        assert found["reference"] in page and not_found["reference"] not in page, typed
    page = client.get("/staff/search", query_string={"q": "E_ith"}).get_data(as_text=True)
    assert "0 referrals found" in page  # _ (and %) are letters here, not the database's wildcards
    assert "An NHS number has 10 digits" in client.get("/staff/search?q=943+476").get_data(as_text=True)
    assert "Type a referral" in client.get("/staff/search?q=").get_data(as_text=True)
    audited = searched(app)
    assert [a["sought"] for a in audited] == ["reference", "nhs_number", "nhs_number", "name", "name", "name",
                                              "name", "incomplete_nhs_number", "nothing"]
    assert audited[1]["referral_ids"] == [ivy["id"]] and audited[1]["found"] == 1
    assert not any(word in json.dumps(audited) for word in ("4010232137", "Ellis", "ellis", "Edith"))


def test_the_search_needs_a_staff_log_in(client, demo):
    response = client.get("/staff/search?q=Clarke")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]


def test_the_queue_pages_newest_first(client, bot, demo, monkeypatch):
    monkeypatch.setattr(queue, "PAGE_SIZE", 2)
    stored = [store_referral(client, bot) for _ in range(5)]
    log_in(client)
    pages = [client.get(f"/staff/?page={n}").get_data(as_text=True) for n in (1, 2, 3)]
    newest_first = [r["reference"] for r in reversed(stored)]
    for n, page in enumerate(pages):
        assert [ref for ref in newest_first if ref in page] == newest_first[2 * n:2 * n + 2]
        assert f"page {n + 1} of 3" in page
    assert 'rel="next"' in pages[0] and 'rel="prev"' not in pages[0]
    assert 'rel="prev"' in pages[2] and 'rel="next"' not in pages[2]
    assert "?channel=chat&amp;page=2" in client.get("/staff/?channel=chat").get_data(as_text=True) or \
        "?page=2&amp;channel=chat" in client.get("/staff/?channel=chat").get_data(as_text=True)
    assert "There is no page 9" in client.get("/staff/?page=9").get_data(as_text=True)
    for bad in ("0", "-1", "two", "1.5"):
        response = client.get(f"/staff/?page={bad}")
        assert response.status_code == 400 and "page must be a whole number" in response.get_data(as_text=True)


def test_the_csv_export_of_a_large_range_comes_in_parts(client, bot, demo, monkeypatch):
    monkeypatch.setattr(queue, "EXPORT_ROWS", 2)
    stored = [store_referral(client, bot) for _ in range(3)]
    log_in(client)
    assert "part 2 of 2" in client.get("/staff/").get_data(as_text=True)
    parts = [client.get(f"/staff/export.csv?page={n}") for n in (1, 2)]
    assert 'part-1-of-2.csv"' in parts[0].headers["Content-Disposition"]
    rows = [row["reference"] for part in parts for row in csv.DictReader(io.StringIO(part.get_data(as_text=True)))]
    assert rows == [r["reference"] for r in reversed(stored)]
