"""Browser tests: Debian's Chromium (/usr/bin/chromium) driven by Playwright, against the running service
(the intake API, the action server and Rasa as real processes: the ``stack`` fixture of tests/conftest.py)."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (.ci/run does this)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser profile per test: no cookies carried over."""
    context = browser.new_context(accept_downloads=True, locale="en-GB")
    context.set_default_timeout(30_000)
    tab = context.new_page()
    yield tab
    context.close()
