"""The web chat page (/chat on the API) talking to Rasa's REST channel, in a real browser."""
from playwright.sync_api import expect


def test_a_message_typed_in_the_web_chat_gets_the_assistants_answer(stack, page):
    page.goto(f"{stack.api}/chat")
    bot = page.locator("#log .msg.bot")
    expect(bot.first).not_to_be_empty(timeout=60_000)  # the page opens with "hello" and the greeting comes back
    expect(page.get_by_label("Your message")).to_be_focused()
    page.keyboard.type("I'm a GP")
    page.keyboard.press("Enter")
    expect(page.locator("#log .msg.user").last).to_have_text("I'm a GP")
    expect(page.locator("#log .msg.bot", has_text="GMC number")).to_have_count(1, timeout=60_000)
    assert "can't be reached" not in page.locator("#log").inner_text()
