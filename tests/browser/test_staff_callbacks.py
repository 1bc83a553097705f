"""A member of staff, in a real browser, works the call-backs worklist: a GP's telephone call dropped after the
patient's date of birth, so its intake is incomplete; no answer the first time; then the intake completed through
the console's form and sent on to the queue."""
from __future__ import annotations

from playwright.sync_api import expect

from ..e2e.test_voice_calls import gp_signs_in, typed
from .conftest import accessibility_problems
from .test_staff_console import ACTOR, UNLABELLED, log_in_by_keyboard


def incomplete_call(stack, caller: str = "+442079460555") -> tuple[int, str]:
    """A GP signs in by telephone, gives the service, the patient's name and date of birth, and the call drops:
    the incomplete intake's id and reference."""
    call = gp_signs_in(stack, caller=caller)
    call.say("Rapid response.")
    call.say("Edith Clarke")
    typed(call, "07031941")
    call.hang_up()
    [(referral_id, reference)] = stack.rows(
        f"SELECT id, reference FROM referrals WHERE conversation_id = 'call-{call.call_sid}'")
    return referral_id, reference


def test_no_answer_then_the_intake_completed_from_the_worklist(stack, page):
    referral_id, reference = incomplete_call(stack)
    log_in_by_keyboard(page, stack)
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Call-backs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Call-backs")
    row = page.locator(f'tr[data-callback="intake-{referral_id}"]')
    expect(row).to_contain_text("Incomplete intake")
    expect(row).to_contain_text(reference)
    expect(row).to_contain_text("Dr Asha Patel, 020 7946 0555")
    expect(row).to_contain_text("Still needed: Address, Postcode, Phone, Lives alone")
    expect(row).to_contain_text("24 Nov 2026 11:00")  # received at 10:00, due within the hour
    assert page.evaluate(UNLABELLED) == []
    assert accessibility_problems(page) == []  # the worklist

    row.get_by_label("No answer — try again").check()
    row.get_by_label("Note (optional)").fill("Rang the surgery, no answer")
    row.get_by_role("button", name="Record outcome").click()
    expect(page.get_by_role("status").first).to_contain_text("Outcome recorded: No answer — try again.")
    row = page.locator(f'tr[data-callback="intake-{referral_id}"]')
    expect(row.locator("td").nth(3)).to_have_text("1")  # one attempt, and still on the list

    row.get_by_role("link", name="Complete this intake").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Complete this intake")
    expect(page.get_by_label("Given name")).to_have_value("Edith")  # what the caller gave
    expect(page.get_by_label("Date of birth")).to_have_value("1941-03-07")
    assert page.evaluate(UNLABELLED) == []
    assert accessibility_problems(page) == []  # the completion form
    page.get_by_label("NHS number (optional)").fill("943 476 5919")
    page.get_by_label("Address").fill("Flat 3, 12 Porchester Square")
    page.get_by_label("Postcode").fill("W2 4R")  # not a whole postcode
    page.get_by_label("Phone").fill("07712 345678")
    page.get_by_role("group", name="Lives alone").get_by_label("Yes").check()
    page.get_by_label("Given by the patient").check()
    page.get_by_label("At home").check()
    page.get_by_label("Reason for referral").fill("Fall at home last week, now unsteady on her feet")
    page.get_by_label("Goals").fill("walk to the local shops")
    page.get_by_role("group", name="Mental health crisis").get_by_label("No").check()
    page.get_by_label("Urgent (today)").check()
    page.get_by_role("button", name="Complete the referral").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("That isn't a full postcode")
    assert accessibility_problems(page) == []  # the form with its errors
    summary.get_by_role("link", name="That isn't a full postcode").click()
    expect(page.get_by_label("Postcode")).to_be_focused()
    page.get_by_label("Postcode").fill("W2 4RJ")
    page.get_by_role("button", name="Complete the referral").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Referral {reference}")
    expect(page.get_by_role("status")).to_contain_text("Intake completed")
    expect(page.locator("h1 .app-status")).to_have_text("new")
    expect(page.locator(".app-history")).to_contain_text("Completed from the console")
    expect(page.locator(".app-history")).to_contain_text("Call-back: No answer — try again")
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Call-backs").click()
    expect(page.locator(f'tr[data-callback="intake-{referral_id}"]')).to_have_count(0)

    [(status, borough, nhs_number)] = stack.rows(
        f"SELECT status, borough_name, patient_nhs_number FROM referrals WHERE id = {int(referral_id)}")
    assert (status, borough, nhs_number) == ("new", "Westminster", "9434765919")
    history = [f"{actor} {action}" for actor, action in stack.rows(
        f"SELECT actor, action FROM audit_log WHERE referral_id = {int(referral_id)} ORDER BY id")]
    assert history[0] == "service referral.created"
    assert f"{ACTOR} callback.outcome" in history and history.index(f"{ACTOR} callback.outcome") < \
        history.index(f"{ACTOR} referral.completed")
