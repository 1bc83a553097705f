"""`make screenshots`: pictures of the web chat (desktop and 320 px wide) and the staff console's queue, a
referral, the figures and the call-backs worklist, taken in Debian's Chromium against the real processes (tests/e2e/stack.py) with a
few demo referrals made through the assistant, into docs/screenshots/ for the README."""
from __future__ import annotations

import sys
import tempfile
from datetime import datetime
from pathlib import Path

from playwright.sync_api import expect, sync_playwright
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from intake_api.callbacks import request_call_back  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.browser.test_staff_callbacks import incomplete_call  # noqa: E402
from tests.browser.test_staff_console import EMAIL, GP_REFERRAL, PASSWORD  # noqa: E402
from tests.e2e.stack import Stack  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
REABLEMENT = ["hi", "I'm a district nurse", "12A3456E", "482913", "rehabilitation and reablement please",
              "Mr Arthur Nolan", "2 November 1936", "401 023 2137", "27 Hereford Road", "W2 4AB", "07912 345678",
              "no, he lives with his wife", "yes he's agreed", "at home", "struggling with stairs since his fall",
              "stairs and bathing", "get upstairs to bed", "none", "no", "routine", "yes that's all correct"]


def chat(page, stack: Stack, name: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 760})
    page.goto(f"{stack.api}/chat")
    bot = page.locator("#log .app-chat__message--bot")
    expect(bot.first).not_to_be_empty(timeout=60_000)
    page.get_by_label("Your message").fill("I'm a GP")
    page.keyboard.press("Enter")
    expect(bot.filter(has_text="GMC number")).to_have_count(1, timeout=60_000)
    for said, then in (("7123456", "PIN"), ("482913", "Which service")):
        page.get_by_label("Your message").fill(said)
        page.keyboard.press("Enter")
        expect(bot.filter(has_text=then)).not_to_have_count(0, timeout=60_000)
    page.screenshot(path=OUT / name, full_page=True)


def waiting_call_backs(stack: Stack) -> None:
    """A GP's call that dropped part way (an incomplete intake), and a caller who asked for a call back the
    night before, as the voice gateway stores one after they press 1."""
    incomplete_call(stack)
    engine = create_engine(stack.database_url)
    try:
        with Session(engine) as db:
            request_call_back(db, "+447700900123", "CA-screenshot-night", stack.definition,
                              datetime.fromisoformat("2026-11-23T21:40:00+00:00"))
    finally:
        engine.dispose()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        stack = Stack(Path(tmp))
        stack.up()
        try:
            waiting_call_backs(stack)  # first, so that the referral shown is the newest chat referral
            for script in (GP_REFERRAL, REABLEMENT):
                sender, _ = stack.new_chat()
                for message in script:
                    stack.say(sender, message)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                page = browser.new_context(locale="en-GB").new_page()
                chat(page, stack, "chat-desktop.png", 1200)
                chat(browser.new_context(locale="en-GB").new_page(), stack, "chat-320px.png", 320)
                page.set_viewport_size({"width": 1280, "height": 900})
                page.goto(f"{stack.api}/staff/login")
                page.get_by_label("E-mail address").fill(EMAIL)
                page.get_by_label("Password").fill(PASSWORD)
                page.get_by_role("button", name="Log in").click()
                expect(page.get_by_role("heading", name="Captured intakes")).to_be_visible()
                page.screenshot(path=OUT / "queue.png", full_page=True)
                page.locator(".app-referrals a").first.click()
                expect(page.get_by_role("heading", level=1)).to_contain_text("Referral")
                page.screenshot(path=OUT / "referral.png", full_page=True)
                page.get_by_role("link", name="Figures").click()
                expect(page.get_by_role("heading", level=1)).to_be_visible()
                page.screenshot(path=OUT / "figures.png", full_page=True)
                page.get_by_role("link", name="Call-backs").click()
                expect(page.get_by_role("heading", name="Call-backs")).to_be_visible()
                page.screenshot(path=OUT / "worklist.png", full_page=True)
                browser.close()
        finally:
            stack.down()
    print(f"screenshots in {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
