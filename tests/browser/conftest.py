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


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.2 at levels A and AA, as axe-core tags its rules.
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
AXE_RUN = """async (tags) => (await axe.run(document, {runOnly: {type: "tag", values: tags}})).violations
    .map(v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map(n => n.target.join(" ")).join(", ")}`)"""


def accessibility_problems(page) -> list[str]:
    """axe-core's violations of WCAG 2.2 A and AA on the page as it is now (`make static` installs axe-core)."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run make static (npm ci)")
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_RUN, WCAG_22_AA)


def scrolls_sideways(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth > document.documentElement.clientWidth")
