"""A member of staff, in a real browser, sees how the line is doing: a chat referral counted on the Figures page's
chart and table, a chosen range of days, and the same figures as CSV."""
from __future__ import annotations

import csv
import json
import re

from playwright.sync_api import expect

from ..e2e.test_chat_referrals import conversation, referral_for
from .conftest import accessibility_problems, scrolls_sideways
from .test_staff_console import ACTOR, GP_REFERRAL, log_in_by_keyboard

DAY = "2026-11-24"  # the stack's clock: 10:00 on 24 Nov 2026
BY_CHANNEL = "Referrals a day, by channel"


def chat_referrals_on(page, day: str) -> int:
    """The Chat column of that day's row in the table under the chart of referrals by channel (opened first:
    the daily tables are folded away under their charts)."""
    if not page.get_by_role("table", name=BY_CHANNEL).is_visible():
        page.get_by_text(f"{BY_CHANNEL}: every day as a table").click()
    row = page.get_by_role("table", name=BY_CHANNEL).get_by_role("row", name=re.compile(f"^{day}"))
    return int(row.get_by_role("cell").first.inner_text())


def test_the_figures_count_a_chat_referral_by_chart_table_and_csv(stack, page):
    log_in_by_keyboard(page, stack)
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Figures").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Figures")
    before = chat_referrals_on(page, DAY)

    sender, _replies = conversation(stack, GP_REFERRAL)
    reference = referral_for(stack, sender)["reference"]
    page.reload()
    assert chat_referrals_on(page, DAY) == before + 1
    chart = page.get_by_role("img", name=BY_CHANNEL)
    expect(chart).to_be_visible()
    expect(chart.locator("rect title", has_text=f"{DAY}: {before + 1} Chat")).to_have_count(1)
    assert accessibility_problems(page) == []

    page.get_by_label("From", exact=True).fill(DAY)
    page.get_by_label("To", exact=True).fill(DAY)
    page.get_by_role("button", name="Show these dates").click()
    expect(page).to_have_url(f"{stack.api}/staff/figures?from={DAY}&to={DAY}")
    expect(page.get_by_text("How the line did from 24 Nov 2026 to 24 Nov 2026")).to_be_visible()
    assert chat_referrals_on(page, DAY) == before + 1
    expect(page.get_by_role("table", name=BY_CHANNEL).locator("tbody tr")).to_have_count(1)
    assert reference not in page.content() and "Clarke" not in page.content()

    with page.expect_download() as download:
        page.get_by_role("link", name="Download these figures as CSV").click()
    assert download.value.suggested_filename == f"cis-figures-{DAY}-to-{DAY}.csv"
    with open(download.value.path(), newline="") as exported:
        rows = list(csv.DictReader(exported))
    [chat] = [r for r in rows if (r["measure"], r["day"], r["key"]) == ("referrals_by_channel", DAY, "chat")]
    assert int(chat["value"]) == before + 1
    assert not any(reference in value or "Clarke" in value for r in rows for value in r.values())

    audited = [(action, json.loads(d) if isinstance(d, str) else d) for action, d in stack.rows(
        f"SELECT action, detail FROM audit_log WHERE actor = '{ACTOR}' AND action LIKE 'figures.%' ORDER BY id")]
    dates = {"from": DAY, "to": DAY}
    assert audited[-2:] == [("figures.viewed", dates), ("figures.exported", dates)]


def test_the_figures_reflow_at_320_pixels(stack, page):
    page.set_viewport_size({"width": 320, "height": 640})
    log_in_by_keyboard(page, stack)
    page.goto(f"{stack.api}/staff/figures")
    expect(page.get_by_role("img", name=BY_CHANNEL)).to_be_visible()
    assert not scrolls_sideways(page)  # the charts scale to the screen; the tables scroll inside themselves
    assert accessibility_problems(page) == []
