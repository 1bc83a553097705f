"""A member of staff, in a real browser, triages a referral that a chat conversation created."""
from __future__ import annotations

import json

from fhir.resources.R4B.bundle import Bundle
from playwright.sync_api import expect

from ..e2e.test_chat_referrals import conversation, referral_for
from .conftest import accessibility_problems, scrolls_sideways

EMAIL, PASSWORD = "staff@cis.example", "demo-staff-password"
ACTOR = f"staff:{EMAIL}"

GP_REFERRAL = [
    "hi", "I'm a GP", "7123456", "482913", "rapid response please", "Mrs Edith Clarke", "7th March 1941",
    "943 476 5919", "Flat 3, 12 Porchester Square", "w2 4rj", "07712 345678", "yes she lives alone",
    "yes she's agreed", "she's on the ward at St Mary's", "27/11/2026",
    "fall at home last week, now unsteady on her feet", "mobility, washing and dressing", "walk to the local shops",
    "falls and lives alone", "no", "today please", "yes that's all correct",
]


UNLABELLED = """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
    .filter(field => field.labels.length === 0).map(field => field.name)"""


def log_in_by_keyboard(page, stack):
    page.goto(f"{stack.api}/staff/")
    expect(page).to_have_url(f"{stack.api}/staff/login?next=/staff/")
    assert page.evaluate(UNLABELLED) == []
    assert accessibility_problems(page) == []
    page.keyboard.type(EMAIL)  # the e-mail field has the focus
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"Logged in as {EMAIL}")).to_be_visible()


def test_staff_log_in_filter_open_triage_download_and_log_out(stack, page):
    sender, replies = conversation(stack, GP_REFERRAL)
    stored = referral_for(stack, sender)  # through the staff API: one view in the audit log
    reference = stored["reference"]
    assert reference in " ".join(replies[-1])

    log_in_by_keyboard(page, stack)
    assert page.evaluate(UNLABELLED) == []
    assert accessibility_problems(page) == []  # the queue
    page.keyboard.press("Tab")  # keyboard users can jump past the header
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    row_link = page.get_by_role("link", name=reference, exact=True)
    expect(row_link).to_be_visible()
    expect(page.locator("tr", has=row_link).locator(".app-flag--urgent")).to_have_text("Urgent")

    page.get_by_label("Service").select_option(label="Rehabilitation and Reablement")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("link", name=reference, exact=True)).to_have_count(0)
    page.get_by_label("Service").select_option(label="Rapid Response")
    page.get_by_label("Channel").select_option("chat")
    page.get_by_label("Borough").select_option(label="Westminster")
    page.get_by_label("Received from").fill("2026-11-24")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(f"{stack.api}/staff/?status=&service=rapid_response&borough=E09000033&channel=chat"
                             f"&from=2026-11-24&to=")
    page.get_by_role("link", name=reference, exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Referral {reference}")
    assert page.evaluate(UNLABELLED) == []
    assert accessibility_problems(page) == []  # the referral
    main = page.locator("main")
    for shown in ("Dr Asha Patel", "GMC 7123456", "Verified with PIN", "943 476 5919", "W2 4RJ",
                  "Adult Social Care: 020 7641 2500", "fall at home last week, now unsteady on her feet"):
        expect(main).to_contain_text(shown)

    page.get_by_label("New status").select_option("triaged")
    page.get_by_label("Note (required: why)").fill("Spoke to Dr Patel; Rapid Response visit today")
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_role("status")).to_contain_text("Status changed to triaged.")
    expect(page.locator("h1 .app-status")).to_have_text("triaged")
    expect(page.locator(".app-history")).to_contain_text("Spoke to Dr Patel; Rapid Response visit today")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download FHIR bundle").click()
    assert download.value.suggested_filename == f"{reference}.fhir.json"
    bundle = Bundle.model_validate_json(open(download.value.path(), "rb").read())
    types = {entry.resource.get_resource_type(): entry.resource for entry in bundle.entry}
    assert types["Patient"].identifier[0].value == "9434765919"
    assert types["Practitioner"].identifier[0].system == "https://fhir.hl7.org.uk/Id/gmc-number"
    assert types["ServiceRequest"].identifier[0].value == reference
    assert json.loads(open(download.value.path()).read())["resourceType"] == "Bundle"

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("status")).to_contain_text("You have logged out.")
    page.goto(f"{stack.api}/staff/referrals/{stored['id']}")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()

    history = [f"{actor} {action}" for actor, action in stack.rows(
        f"SELECT actor, action FROM audit_log WHERE referral_id = {int(stored['id'])} ORDER BY id")]
    assert history == ["service referral.created", f"{ACTOR} referral.listed",  # the API reads above
                       f"{ACTOR} referral.viewed",
                       f"{ACTOR} referral.viewed", f"{ACTOR} referral.status_changed", f"{ACTOR} referral.viewed",
                       f"{ACTOR} referral.exported"]
    status = stack.rows(f"SELECT status FROM referrals WHERE id = {int(stored['id'])}")
    assert status[0][0] == "triaged"


def test_a_wrong_password_is_refused_in_the_browser(stack, page):
    page.goto(f"{stack.api}/staff/login")
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("Password").fill("not-my-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("That e-mail address and password do not match a staff account.")
    page.goto(f"{stack.api}/staff/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()


def test_a_referral_is_found_by_reference_nhs_number_or_name_and_each_search_is_audited(stack, page):
    sender, _replies = conversation(stack, GP_REFERRAL)
    reference = referral_for(stack, sender)["reference"]
    log_in_by_keyboard(page, stack)
    search = page.get_by_role("searchbox", name="Find a referral by reference, patient name or NHS number")
    for sought in (reference.lower(), "943 476 5919", "Mrs Clarke", "edith cla"):
        search.fill(sought)
        search.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Find a referral")
        expect(page.get_by_role("link", name=reference, exact=True)).to_be_visible()
    assert accessibility_problems(page) == []
    search.fill("Nobody Atall")
    search.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("0 referrals found for that name")
    search.fill("943 476")
    search.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("An NHS number has 10 digits")
    assert accessibility_problems(page) == []
    searches = [detail for (detail,) in stack.rows(
        f"SELECT detail FROM audit_log WHERE action = 'referrals.searched' AND actor = '{ACTOR}' ORDER BY id")][-6:]
    searches = [json.loads(d) if isinstance(d, str) else d for d in searches]
    assert [d["sought"] for d in searches] == ["reference", "nhs_number", "name", "name", "name",
                                               "incomplete_nhs_number"]
    assert "9434765919" not in json.dumps(searches) and "Clarke" not in json.dumps(searches)


def test_the_console_reflows_at_320_pixels(stack, page):
    page.set_viewport_size({"width": 320, "height": 640})
    log_in_by_keyboard(page, stack)
    assert not scrolls_sideways(page)  # the queue's wide table scrolls inside itself
    assert accessibility_problems(page) == []


def test_a_new_referral_appears_in_the_open_queue_and_an_urgent_one_is_announced(stack, page):
    log_in_by_keyboard(page, stack)
    expect(page.get_by_role("heading", name="Captured intakes")).to_be_visible()
    sender, _replies = conversation(stack, GP_REFERRAL)  # a Rapid Response referral, wanted today
    reference = referral_for(stack, sender)["reference"]
    row = page.locator("tr", has=page.get_by_role("link", name=reference, exact=True))
    expect(row).to_be_visible(timeout=30_000)  # no reload: the page asks every STAFF_QUEUE_POLL_SECONDS (2 here)
    expect(row.locator(".app-flag--new")).to_have_text("New")
    expect(row.locator(".app-flag--same_day")).to_have_text("Same-day service")
    expect(page.locator("#urgent-arrivals")).to_have_text(f"New referral {reference}: Rapid Response, urgent.")
    expect(page.locator("#urgent-arrivals")).to_have_attribute("aria-live", "assertive")
    assert page.locator("tbody tr").first.get_attribute("data-referral-id") == str(referral_for(stack, sender)["id"])
    assert accessibility_problems(page) == []  # the queue with a live arrival


def tab_to(page, target, most: int = 60) -> None:
    """Press Tab, as a keyboard user does, until ``target`` has the focus."""
    for _ in range(most):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} never had the focus by Tab")


def test_a_whole_triage_by_keyboard_alone(stack, page):
    sender, _replies = conversation(stack, GP_REFERRAL)
    reference = referral_for(stack, sender)["reference"]
    log_in_by_keyboard(page, stack)
    tab_to(page, page.get_by_role("searchbox"))
    page.keyboard.type(reference)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a referral")
    tab_to(page, page.get_by_role("link", name=reference, exact=True))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Referral {reference}")
    tab_to(page, page.get_by_label("New status"))
    page.keyboard.press("ArrowDown")  # triaged is the only next status of a new referral, and is chosen
    tab_to(page, page.get_by_label("Note (required: why)"))
    page.keyboard.type("Rang the GP back; visit booked")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Change status")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Status changed to triaged.")
    tab_to(page, page.get_by_role("button", name="Log out"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    assert stack.rows(f"SELECT status FROM referrals WHERE reference = '{reference}'")[0][0] == "triaged"
