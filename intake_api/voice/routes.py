"""The telephone's webhooks: the referral line's menu, the service's conversation turn by turn, silence, and the
call's end. Every name, number and hour said comes from the service definition.

State between requests travels in the relative URLs of <Gather action> and <Redirect> (what is being
asked, what was heard for a read-back), and the conversation itself lives in Rasa under the CallSid.
So any API process can answer any request of a call.
"""
from __future__ import annotations

import logging
import re

from flask import Response, current_app, request

from referral_rules import validation
from referral_rules.clock import now

from .. import callbacks
from ..store import service, session
from . import bp, twiml
from .rasa_relay import BotReply, RasaUnavailable, end_call, relay
from .signature import twilio_only
from .speech import callers_answer, has_digits
from .speech import read_back as spoken_back

log = logging.getLogger(__name__)

# Answers read back digit by digit and confirmed before the bot gets them.
READ_BACK = {"registration_number", "client_nhs_number", "client_date_of_birth", "patient_nhs_number",
             "patient_date_of_birth", "patient_phone", "caller_phone"}
PIN_SLOT = "pin"
MAX_READ_BACK = 80  # characters; anything longer is not a number, and goes to the bot as it is
MAX_ANSWER = 1000   # characters of one spoken answer passed to the assistant
ENDED = {"completed", "busy", "failed", "no-answer", "canceled"}
_YES = re.compile(r"^(yes|yeah|yep|correct|right|that's right|that is right)\b")
_NO = re.compile(r"^(no|nope|wrong|that's wrong|try again)\b")


def xml(response) -> Response:
    return Response(str(response), mimetype="text/xml")


def call_sid() -> str:
    return (request.form.get("CallSid") or "").strip()[:64]


def spoken_time(moment) -> str:
    """08:00 -> "8 am", 20:30 -> "8 30 pm"."""
    minutes = f" {moment.minute:02d}" if moment.minute else ""
    return f"{moment.hour % 12 or 12}{minutes} {'am' if moment.hour < 12 else 'pm'}"


def hours_text() -> str:
    d = service()
    if d.always_open:
        return "24 hours a day, every day"
    return f"from {spoken_time(d.opens)} to {spoken_time(d.closes)} every day"


def option() -> str:
    """The key of this service on the referral line's menu."""
    return str(service().referral_line_option)


def staff_number() -> str | None:
    """Where a person can take the call now: SPR_STAFF_NUMBER where the deployment sets it, else the service
    file's transfer_phone; None out of hours or with neither."""
    d = service()
    number = current_app.config.get("SPR_STAFF_NUMBER") or _dialled(d.transfer_phone)
    return number if number and d.is_open(now()) else None


def _dialled(written: str | None) -> str | None:
    """A number as the file writes it ("020 7946 0000"), as Twilio dials it (+442079460000)."""
    try:
        return validation.uk_phone(written) if written else None
    except validation.Invalid:
        return written  # a short number such as 999


def goodbye() -> str:
    return f"Thank you for calling the {service().name}. Goodbye."


def closing_words() -> str:
    d = service()
    return (f"The team is on {d.referral_line_phone}, option {d.referral_line_option}, {hours_text()}. If it's "
            f"urgent call NHS {d.urgent_advice_number}, or {d.emergency_number} in an emergency. Goodbye.")


# --- The referral line's menu -------------------------------------------------------------------------------

def menu_words() -> list[str]:
    d = service()
    return [f"Thank you for calling the {d.referral_line}. Our lines are open {hours_text()}.",
            f"For the {d.name}, press {option()}. For anything else, press any other key."]


@bp.post("/incoming")
@twilio_only
def incoming():
    response = twiml.VoiceResponse()
    first = twiml.gather("menu", keypad_only=True, digits=1)
    for text in menu_words():
        twiml.say(first, text)
    response.append(first)
    again = twiml.gather("menu", keypad_only=True, digits=1)
    twiml.say(again, "Sorry, I didn't hear a key.")
    for text in menu_words()[1:]:
        twiml.say(again, text)
    response.append(again)
    twiml.say(response, f"We didn't get a choice. {closing_words()}")
    response.hangup()
    return xml(response)


@bp.post("/menu")
@twilio_only
def menu():
    key = (request.form.get("Digits") or "").strip()
    if key == option():
        return turn_to_bot("/greet")
    d = service()
    if not key:
        return xml(twiml.VoiceResponse().redirect("incoming", method="POST"))
    number = staff_number()
    if number:
        return xml(twiml.transfer([f"This line's option {option()} is the {d.name}. I'll put you through to "
                                   f"the {d.referral_line} team now."], number))
    return xml(twiml.speak_and_hang_up([f"This line's option {option()} is the {d.name}. I can't put you "
                                        f"through to the team just now. {closing_words()}"]))


# --- The service's conversation -----------------------------------------------------------------------------

def answer_bot(reply: BotReply) -> Response:
    """The bot's turn, spoken: a transfer, the end of the call, or the next question."""
    if "transfer" in reply.signals:
        number = staff_number()
        if number:
            return xml(twiml.transfer(reply.texts, number))
        return xml(twiml.speak_and_hang_up([f"I'm sorry, I can't put you through just now. {closing_words()}"]))
    if "offer_callback" in reply.signals:
        return offer_call_back(reply.texts)
    if "hang_up" in reply.signals:
        return xml(twiml.speak_and_hang_up(reply.texts))
    asked = reply.requested_slot if reply.active_loop else None
    if asked == PIN_SLOT:
        return xml(twiml.ask(reply.texts, twiml.url("turn", ask=PIN_SLOT), twiml.url("silence", ask=PIN_SLOT),
                             keypad_only=True, digits=6,
                             reprompt="Please type your 6-digit PIN on your keypad."))
    if not reply.active_loop:
        # Nothing is being asked (the referral is stored, or the caller was given other numbers).
        texts = [*reply.texts, "If there's anything else, say it now. Otherwise, thank you for calling."]
        return xml(twiml.ask(texts, twiml.url("turn"), twiml.url("silence", done=1),
                             reprompt="If there's anything else, say it now."))
    return xml(twiml.ask(reply.texts, twiml.url("turn", ask=asked), twiml.url("silence", ask=asked)))


def turn_to_bot(message: str) -> Response:
    sid = call_sid()
    if not sid:
        return xml(twiml.speak_and_hang_up(["Sorry, something went wrong with this call. Goodbye."]))
    try:
        return answer_bot(relay(sid, message, request.form.get("From")))
    except RasaUnavailable:
        number = staff_number()
        sorry = "I'm sorry, the automated referral line isn't working just now."
        if number:
            return xml(twiml.transfer([f"{sorry} I'll put you through to the team."], number))
        return xml(twiml.speak_and_hang_up([f"{sorry} {closing_words()}"]))


@bp.post("/turn")
@twilio_only
def turn():
    asked = request.args.get("ask")
    if asked == PIN_SLOT:
        # The PIN only from the keypad: anything heard is ignored, never passed on.
        answer = callers_answer(request.form.get("Digits"), None)
        if not answer:
            return xml(twiml.ask(["For your security, please type your PIN on your keypad rather than saying it."],
                                 twiml.url("turn", ask=PIN_SLOT), twiml.url("silence", ask=PIN_SLOT),
                                 keypad_only=True, digits=6))
        return turn_to_bot(answer)
    answer = callers_answer(request.form.get("Digits"), request.form.get("SpeechResult"),
                            numbers=asked in READ_BACK)[:MAX_ANSWER]
    if not answer:
        return xml(twiml.VoiceResponse().redirect(twiml.url("silence", ask=asked), method="POST"))
    if asked in READ_BACK and has_digits(answer) and len(answer) <= MAX_READ_BACK:
        return read_back(asked, answer)
    return turn_to_bot(answer)


def read_back(asked: str, heard: str) -> Response:
    action = twiml.url("confirm", ask=asked, heard=heard)
    question = f"I heard {spoken_back(heard)}. Press 1 if that's right, or 2 to try again."
    return xml(twiml.ask([question], action, twiml.url("silence", ask=asked), digits=1))


@bp.post("/confirm")
@twilio_only
def confirm():
    asked, heard = request.args.get("ask"), request.args.get("heard") or ""
    if not heard:
        return xml(twiml.ask(["Sorry, please say that again, or type it on your keypad and press hash."],
                             twiml.url("turn", ask=asked), twiml.url("silence", ask=asked)))
    answer = callers_answer(request.form.get("Digits"), request.form.get("SpeechResult")).lower()
    if answer == "1" or _YES.match(answer):
        return turn_to_bot(heard)
    if answer == "2" or _NO.match(answer):
        return xml(twiml.ask(["OK, let's try that again. Please say it, or type it on your keypad and press hash."],
                             twiml.url("turn", ask=asked), twiml.url("silence", ask=asked)))
    return read_back(asked, heard)


@bp.post("/silence")
@twilio_only
def silence():
    """Twice no answer: offer the team (in opening hours), or the hours and goodbye."""
    if request.args.get("done"):
        return xml(twiml.speak_and_hang_up([goodbye()]))
    if staff_number():
        response = twiml.VoiceResponse()
        offer = twiml.gather("transfer", keypad_only=True, digits=1)
        twiml.say(offer, "I still can't hear you. To speak to someone in the team, press 1 now.")
        response.append(offer)
        twiml.say(response, goodbye())
        response.hangup()
        return xml(response)
    return xml(twiml.speak_and_hang_up([f"I can't hear you, so I'll end the call. {closing_words()}"]))


@bp.post("/transfer")
@twilio_only
def transfer():
    number = staff_number()
    if (request.form.get("Digits") or "").strip() == "1" and number:
        return xml(twiml.transfer(["Putting you through now."], number))
    return xml(twiml.speak_and_hang_up([f"Thank you for calling. {closing_words()}"]))


# --- A call back, out of hours ---------------------------------------------------------------------------------

def opening_time() -> str:
    """When the team next opens, as the line says a time ("08:00")."""
    d = service()
    return f"{d.next_opening(now()).astimezone(d.timezone):%H:%M}"


def offer_call_back(texts: list[str]) -> Response:
    """The team is closed and the caller asked for a person: after the bot's words, a call back on the number
    they are calling from, by pressing 1 (answered by ``call_back``); silence ends the call."""
    offered = [*texts, f"If you'd like the team to call you back on the number you're calling from when they open "
                       f"at {opening_time()}, press 1. Otherwise, just hang up."]
    return xml(twiml.offer(offered, "callback", [goodbye()]))


@bp.post("/callback")
@twilio_only
def call_back():
    """The caller's key after the offer: 1 stores one request to call back Twilio's ``From`` (never passed to the
    assistant), once per call however often it is pressed; anything else, goodbye."""
    if (request.form.get("Digits") or "").strip() != "1" or not call_sid():
        return xml(twiml.speak_and_hang_up([goodbye()]))
    try:
        phone = validation.uk_phone(request.form.get("From") or "")
    except validation.Invalid:  # withheld ("anonymous"), or not a UK number
        return xml(twiml.speak_and_hang_up([f"I can't see your number, so I can't book a call back. {goodbye()}"]))
    callbacks.request_call_back(session(), phone, call_sid(), service(), now())
    return xml(twiml.speak_and_hang_up([f"Thank you. The team will call you back on the number ending "
                                        f"{' '.join(phone[-3:])} after {opening_time()}. Goodbye."]))


# --- The end of the call ------------------------------------------------------------------------------------

@bp.post("/status")
@twilio_only
def status():
    """Twilio's status callback. When the call is over the assistant is told, so a verified professional's
    unfinished referral is kept as an incomplete intake with the number they called from."""
    if (request.form.get("CallStatus") or "") in ENDED and call_sid():
        try:
            end_call(call_sid())
        except RasaUnavailable:
            log.error("a call ended but the assistant could not be told")
    return Response(status=204)
