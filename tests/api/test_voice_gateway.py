"""The voice gateway's TwiML and signature checks, with the assistant replaced by canned replies.
(The whole chain, with Rasa and the case store, is tested end to end in tests/e2e/test_voice_calls.py.)"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlparse

import pytest
from twilio.request_validator import RequestValidator

from intake_api import create_app
from intake_api.voice import routes
from intake_api.voice.rasa_relay import BotReply, RasaUnavailable
from intake_api.voice.speech import callers_answer, for_the_ear

TOKEN = "test-twilio-token"
BASE = "https://cis.example.org"
STAFF = "+442079460999"
CALL = {"CallSid": "CA123", "From": "+447712345678", "To": "+443000330333", "CallStatus": "in-progress",
        "AccountSid": "AC0", "Direction": "inbound"}


@pytest.fixture(scope="module")
def voice_app(tmp_path_factory):
    return create_app({"DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('voice') / 'v.sqlite3'}",
                       "TWILIO_AUTH_TOKEN": TOKEN, "PUBLIC_BASE_URL": BASE, "SPR_STAFF_NUMBER": STAFF,
                       "TESTING": True, "WARM_POSTCODES": False})


@pytest.fixture
def bot(monkeypatch):
    """The assistant: records what it was sent and answers with ``bot.reply``."""
    class Bot:
        sent: list = []
        reply = BotReply(texts=["Are you a health professional?"], requested_slot="caller_type",
                         active_loop="caller_form")

        def __call__(self, sid, message, callback_phone=None):
            self.sent.append((sid, message))
            assert callback_phone == "+447712345678"  # every turn carries the caller's number
            if isinstance(self.reply, Exception):
                raise self.reply
            return self.reply

    fake = Bot()
    fake.sent = []
    monkeypatch.setattr(routes, "relay", fake)
    monkeypatch.setattr(routes, "end_call", lambda sid: fake.sent.append((sid, "call ended")))
    monkeypatch.setenv("CIS_NOW", "2026-11-24T10:00:00+00:00")
    return fake


def post(app, path, token=TOKEN, signed_url=None, **fields):
    params = {**CALL, **fields}
    signature = RequestValidator(token).compute_signature(signed_url or BASE + path, params)
    return app.test_client().post(path, data=params, headers={"X-Twilio-Signature": signature})


def twiml(response) -> ET.Element:
    assert response.status_code == 200, response.data
    assert response.mimetype == "text/xml"
    return ET.fromstring(response.data)


def said(root) -> str:
    return " ".join(s.text for s in root.iter("Say"))


def test_the_menu_offers_option_2_with_the_hours_and_asks_once_more_then_says_goodbye(voice_app, bot):
    root = twiml(post(voice_app, "/voice/incoming", CallStatus="ringing"))
    gathers = root.findall("Gather")
    assert [g.get("input") for g in gathers] == ["dtmf", "dtmf"]
    assert all(g.get("numDigits") == "1" and g.get("action") == "menu" for g in gathers)
    assert "press 2" in said(gathers[0]) and "8 am to 8 pm" in said(gathers[0])
    assert [child.tag for child in root] == ["Gather", "Gather", "Say", "Hangup"]
    assert all(s.get("voice") == "Polly.Amy" and s.get("language") == "en-GB" for s in root.iter("Say"))
    assert bot.sent == []


def test_option_2_starts_the_conversation_keyed_by_the_call(voice_app, bot):
    root = twiml(post(voice_app, "/voice/menu", Digits="2"))
    assert bot.sent == [("CA123", "/greet")]
    gather = root.find("Gather")
    assert gather.get("input") == "dtmf speech" and gather.get("language") == "en-GB"
    assert gather.get("finishOnKey") == "#" and gather.get("speechTimeout") == "auto"
    assert gather.get("action") == "turn?ask=caller_type"
    assert [child.tag for child in root] == ["Gather", "Gather", "Redirect"]
    assert "Sorry, I didn't hear anything" in said(root.findall("Gather")[1])
    assert root.find("Redirect").text == "silence?ask=caller_type"


@pytest.mark.parametrize("now, dialled", [("2026-11-24T10:00:00+00:00", [STAFF]), ("2026-11-24T21:30:00+00:00", [])])
def test_other_keys_are_put_through_in_opening_hours_only(voice_app, bot, monkeypatch, now, dialled):
    monkeypatch.setenv("CIS_NOW", now)
    root = twiml(post(voice_app, "/voice/menu", Digits="1"))
    assert [d.text for d in root.iter("Dial")] == dialled
    assert "option 2 is the Community Independence Service" in said(root)
    assert root[-1].tag == "Hangup" and bot.sent == []


def test_the_pin_is_asked_for_on_the_keypad_only_and_speech_is_never_passed_on(voice_app, bot):
    bot.reply = BotReply(texts=["Please type your PIN."], requested_slot="pin", active_loop="professional_form")
    root = twiml(post(voice_app, "/voice/turn?ask=registration_number", SpeechResult="Hello there."))
    gather = root.find("Gather")
    assert gather.get("input") == "dtmf" and gather.get("numDigits") == "6" and gather.get("action") == "turn?ask=pin"
    bot.sent.clear()
    root = twiml(post(voice_app, "/voice/turn?ask=pin", SpeechResult="four eight two nine one three"))
    assert bot.sent == [] and "keypad" in said(root)
    twiml(post(voice_app, "/voice/turn?ask=pin", Digits="482913"))
    assert bot.sent == [("CA123", "482913")]


def test_numbers_that_matter_are_read_back_digit_by_digit_and_confirmed_before_moving_on(voice_app, bot):
    root = twiml(post(voice_app, "/voice/turn?ask=patient_nhs_number", Digits="9434765919"))
    assert bot.sent == []
    assert "I heard 9 4 3 4 7 6 5 9 1 9. Press 1 if that's right, or 2 to try again." in said(root)
    action = root.find("Gather").get("action")
    assert action.startswith("confirm?ask=patient_nhs_number&heard=9434765919")
    root = twiml(post(voice_app, "/voice/" + action, Digits="2"))
    assert bot.sent == [] and "try that again" in said(root)
    assert root.find("Gather").get("action") == "turn?ask=patient_nhs_number"
    twiml(post(voice_app, "/voice/" + action, SpeechResult="Yes, that's right."))
    assert bot.sent == [("CA123", "9434765919")]


def test_answers_without_numbers_go_straight_to_the_bot(voice_app, bot):
    twiml(post(voice_app, "/voice/turn?ask=patient_nhs_number", SpeechResult="I don't know."))
    assert bot.sent == [("CA123", "I don't know")]


def test_a_handoff_in_hours_dials_the_staff_number(voice_app, bot):
    bot.reply = BotReply(texts=["I'll put you through to the team now."], signals=["transfer"])
    root = twiml(post(voice_app, "/voice/turn?ask=reason", SpeechResult="Can I speak to a person?"))
    assert [d.text for d in root.iter("Dial")] == [STAFF] and root[-1].tag == "Hangup"


def test_the_bot_ending_the_call_hangs_up(voice_app, bot):
    bot.reply = BotReply(texts=["The team is closed just now. Goodbye."], signals=["hang_up"])
    root = twiml(post(voice_app, "/voice/turn?ask=reason", SpeechResult="speak to a person"))
    assert [c.tag for c in root] == ["Say", "Hangup"]


def test_written_markup_is_not_read_aloud():
    assert for_the_ear("**Call** [the team](https://example.org) 😀 on 020 7361 3013") == \
        "Call the team on 0 2 0, 7 3 6 1, 3 0 1 3"
    assert for_the_ear("born 7 March 1941, NMC 12A3456E, NHS 111") == "born 7 March 1941, NMC 1 2 A 3 4 5 6 E, NHS 111"
    assert callers_answer("7123456#", None) == "7123456" and callers_answer(None, " W2 4RJ. ") == "W2 4RJ"


@pytest.mark.parametrize("now, offered", [("2026-11-24T10:00:00+00:00", True), ("2026-11-24T21:30:00+00:00", False)])
def test_silence_twice_offers_the_team_in_hours_or_says_goodbye(voice_app, bot, monkeypatch, now, offered):
    monkeypatch.setenv("CIS_NOW", now)
    root = twiml(post(voice_app, "/voice/silence?ask=reason"))
    assert (root.find("Gather") is not None) == offered
    assert root[-1].tag == "Hangup" and bot.sent == []


def test_the_assistant_being_down_is_never_a_500(voice_app, bot):
    bot.reply = RasaUnavailable("ConnectionError")
    root = twiml(post(voice_app, "/voice/menu", Digits="2"))
    assert "isn't working just now" in said(root) and [d.text for d in root.iter("Dial")] == [STAFF]


def test_the_end_of_the_call_tells_the_assistant(voice_app, bot):
    response = post(voice_app, "/voice/status", CallStatus="completed")
    assert response.status_code == 204
    assert bot.sent == [("CA123", "call ended")]
    bot.sent.clear()
    assert post(voice_app, "/voice/status", CallStatus="in-progress").status_code == 204 and bot.sent == []


@pytest.mark.parametrize("path", ["/voice/incoming", "/voice/menu", "/voice/turn?ask=pin", "/voice/confirm",
                                  "/voice/silence", "/voice/transfer", "/voice/status"])
def test_every_webhook_refuses_requests_not_signed_by_twilio(voice_app, bot, path):
    client = voice_app.test_client()
    fields = {**CALL, "Digits": "2", "CallStatus": "completed"}
    assert client.post(path, data=fields).status_code == 403                                      # unsigned
    assert post(voice_app, path, token="someone-else", Digits="2", CallStatus="completed").status_code == 403
    assert post(voice_app, path, signed_url=BASE + "/voice/elsewhere", Digits="2",
                CallStatus="completed").status_code == 403                                        # replayed
    assert bot.sent == []


def test_with_no_auth_token_configured_nothing_is_accepted(tmp_path, bot):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'v.sqlite3'}", "TWILIO_AUTH_TOKEN": "",
                      "PUBLIC_BASE_URL": BASE, "TESTING": True, "WARM_POSTCODES": False})
    assert post(app, "/voice/incoming", token="").status_code == 403


def test_a_confirmation_with_nothing_to_confirm_asks_again(voice_app, bot):
    root = twiml(post(voice_app, "/voice/confirm?ask=patient_phone", Digits="1"))
    assert bot.sent == [] and root.find("Gather").get("action") == "turn?ask=patient_phone"


def confirmed(app, root) -> None:
    """Press 1 at the read-back: the gateway's own confirm URL, as Twilio would request it."""
    action = urlparse(root.find("Gather").get("action"))
    twiml(post(app, f"/voice/{action.path}?{action.query}", Digits="1"))


# A number said in words is read back digit by digit like one typed, and the assistant is sent it in digits;
# any other answer goes on as it was heard (the whole call: tests/e2e/test_spoken_numbers.py).
@pytest.mark.parametrize("asked,words,read_back,message", [
    ("patient_nhs_number", "nine four three, four seven six, five nine one nine", "9 4 3, 4 7 6, 5 9 1 9",
     "9 4 3, 4 7 6, 5 9 1 9"),
    ("registration_number", "g m c seven one two three four five six", "G M C 7 1 2 3 4 5 6",
     "g m c 7 1 2 3 4 5 6"),
    ("registration_number", "one two a three four five six e", "1 2 A 3 4 5 6 E", "1 2 a 3 4 5 6 e"),
    ("patient_phone", "oh seven seven one two, three four five six seven eight", "0 7 7 1 2, 3 4 5 6 7 8",
     "0 7 7 1 2, 3 4 5 6 7 8"),
    ("patient_phone", "oh seven seven double one, two three four five six", "0 7 7 1 1, 2 3 4 5 6",
     "0 7 7 1 1, 2 3 4 5 6"),
    ("patient_date_of_birth", "the seventh of march nineteen forty one", "the 7th of march 1941",
     "the 7th of march 1941"),
])
def test_a_number_said_in_words_is_read_back_in_digits_and_sent_on_in_digits(voice_app, bot, asked, words,
                                                                             read_back, message):
    root = twiml(post(voice_app, f"/voice/turn?ask={asked}", SpeechResult=words + "."))
    assert f"I heard {read_back}. Press 1 if that's right" in said(root)
    assert bot.sent == []                                    # nothing goes on before the caller confirms
    assert parse_qs(urlparse(root.find("Gather").get("action")).query)["heard"] == [message]
    confirmed(voice_app, root)
    assert [message for _, message in bot.sent] == [message]


@pytest.mark.parametrize("asked,words", [("reason", "She had a fall three weeks ago"),
                                         ("patient_address", "Flat three, twelve Porchester Square"),
                                         ("patient_nhs_number", "I don't know it")])
def test_answers_that_are_not_numbers_go_on_as_heard(voice_app, bot, asked, words):
    root = twiml(post(voice_app, f"/voice/turn?ask={asked}", SpeechResult=words))
    assert "I heard" not in said(root)
    assert [message for _, message in bot.sent] == [words]
