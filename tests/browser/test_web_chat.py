"""The web chat page (/chat on the API) talking to Rasa's REST channel, in a real browser: typed answers, quick
replies by mouse and by keyboard, the "typing" indicator, the page at 320 px, and axe-core's WCAG 2.2 AA check."""
from playwright.sync_api import expect

from .conftest import accessibility_problems, scrolls_sideways

BOT = "#log .app-chat__message--bot"
USER = "#log .app-chat__message--user"


def open_chat(stack, page):
    page.goto(f"{stack.api}/chat")
    expect(page.locator(BOT).first).not_to_be_empty(timeout=60_000)  # the page opens with "hello"


def answer(page, text: str, then_asked: str):
    page.get_by_label("Your message").fill(text)
    page.keyboard.press("Enter")
    expect(page.locator(BOT, has_text=then_asked)).not_to_have_count(0, timeout=60_000)


def click(page, reply: str, then_asked: str):
    page.get_by_role("group", name="Quick replies").get_by_role("button", name=reply, exact=True).click()
    expect(page.locator(BOT, has_text=then_asked)).not_to_have_count(0, timeout=60_000)


def test_a_message_typed_in_the_web_chat_gets_the_assistants_answer(stack, page):
    open_chat(stack, page)
    expect(page.get_by_label("Your message")).to_be_focused()
    page.keyboard.type("I'm a GP")
    page.keyboard.press("Enter")
    expect(page.locator(USER).last).to_contain_text("I'm a GP")
    expect(page.locator(BOT, has_text="GMC number")).to_have_count(1, timeout=60_000)
    assert "can't be reached" not in page.locator("#log").inner_text()


def test_closed_questions_have_quick_replies_that_work_by_mouse_and_keyboard(stack, page):
    open_chat(stack, page)
    replies = page.get_by_role("group", name="Quick replies")
    expect(replies.get_by_role("button")).to_have_text(["I'm a professional", "I'm a member of the public"])
    assert accessibility_problems(page) == []  # the chat with its buttons
    answer(page, "I'm a GP", "GMC number")
    expect(replies.get_by_role("button")).to_have_count(0)  # an open question has none
    answer(page, "7123456", "PIN")
    answer(page, "482913", "Which service")
    expect(replies.get_by_role("button")).to_have_text(["Rapid Response", "Rehabilitation and Reablement"])
    click(page, "Rapid Response", "full name")
    for said, asked in (("Edith Clarke", "date of birth"), ("07/03/1941", "NHS number")):
        answer(page, said, asked)
    click(page, "I don't know it", "first line")
    for said, asked in (("Flat 3, 12 Porchester Square", "postcode"), ("W2 4RJ", "phone number"),
                        ("07712 345678", "live alone")):
        answer(page, said, asked)
    # By keyboard alone: Tab from the message box back to the quick replies, Enter on the one with the focus.
    replies.get_by_role("button", name="Yes").focus()
    page.keyboard.press("Enter")
    expect(page.locator(BOT, has_text="agreed to this referral")).to_have_count(1, timeout=60_000)
    click(page, "Yes", "Where is the patient now")
    click(page, "In a care home", "reason for the referral")
    for said, asked in (("Fall at home last week, now unsteady", "finding difficult"), ("walking", "like to be able"),
                        ("walk to the shops", "risks")):
        answer(page, said, asked)
    click(page, "None", "mental health crisis")
    click(page, "No", "How urgent")
    click(page, "Within the next few days", "Is that all correct?")
    click(page, "Yes, send it", "reference")
    sender = page.evaluate("() => sessionStorage.getItem('cis-sender')")
    stored = [r for r in stack.staff_get("/api/referrals?channel=chat")["referrals"]
              if r["conversation_id"] == f"chat-{sender}"]
    assert len(stored) == 1
    referral = stack.staff_get(f"/api/referrals/{stored[0]['id']}")
    assert referral["setting"] == "care_home" and referral["urgency"] == "soon"
    assert referral["patient"]["lives_alone"] is True and referral["consent"] == "given"
    assert referral["patient"]["nhs_number"] is None and referral["risks"] == []


def test_the_chat_shows_that_the_assistant_is_answering(stack, page):
    open_chat(stack, page)
    page.evaluate("""() => { const typing = document.getElementById("typing"); window.typingShown = false;
        new MutationObserver(() => { if (!typing.hidden) window.typingShown = true; })
            .observe(typing, {attributes: true}); }""")
    page.get_by_label("Your message").fill("I'm a GP")
    page.keyboard.press("Enter")
    expect(page.locator(BOT, has_text="GMC number")).to_have_count(1, timeout=60_000)
    assert page.evaluate("() => window.typingShown")  # shown while the reply was pending
    expect(page.get_by_text("The assistant is answering")).to_be_hidden()


def test_the_chat_reflows_at_320_pixels_and_new_conversation_starts_again(stack, page):
    page.set_viewport_size({"width": 320, "height": 640})
    open_chat(stack, page)
    assert not scrolls_sideways(page)
    restart = page.get_by_role("button", name="New conversation")
    box = restart.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320
    assert accessibility_problems(page) == []
    first = page.evaluate("() => sessionStorage.getItem('cis-sender')")
    restart.click()
    expect(page.locator(BOT).first).not_to_be_empty(timeout=60_000)
    assert page.evaluate("() => sessionStorage.getItem('cis-sender')") != first
