"""The TwiML the gateway answers with, built with twilio's classes. One voice and language for the line.

URLs are relative ("turn?ask=pin"): Twilio resolves them against the URL it just requested, so they work
on a local `make run`, through a tunnel and behind a proxy alike.
"""
from __future__ import annotations

from urllib.parse import urlencode

from twilio.twiml.voice_response import Gather, VoiceResponse

from .speech import for_the_ear

VOICE = "Polly.Amy"       # British English
LANGUAGE = "en-GB"
ANSWER_TIMEOUT = 6        # seconds of silence before a Gather gives up (and between keys)


def url(path: str, **query) -> str:
    query = {k: v for k, v in query.items() if v is not None}
    return path + ("?" + urlencode(query) if query else "")


def say(target, text: str) -> None:
    spoken = for_the_ear(text)
    if spoken:
        target.say(spoken, voice=VOICE, language=LANGUAGE)


def gather(action: str, keypad_only: bool = False, digits: int | None = None) -> Gather:
    options = dict(action=action, method="POST", timeout=ANSWER_TIMEOUT, finish_on_key="#")
    if keypad_only:
        return Gather(input="dtmf", num_digits=digits, **options)
    return Gather(input="dtmf speech", language=LANGUAGE, speech_timeout="auto", num_digits=digits, **options)


def speak_and_hang_up(texts: list[str]) -> VoiceResponse:
    response = VoiceResponse()
    for text in texts:
        say(response, text)
    response.hangup()
    return response


def offer(texts: list[str], action: str, otherwise: list[str]) -> VoiceResponse:
    """Say the texts while listening for one key (sent to ``action``); on silence say ``otherwise`` and hang up."""
    response = VoiceResponse()
    listening = gather(action, keypad_only=True, digits=1)
    for text in texts:
        say(listening, text)
    response.append(listening)
    for text in otherwise:
        say(response, text)
    response.hangup()
    return response


def transfer(texts: list[str], number: str) -> VoiceResponse:
    response = VoiceResponse()
    for text in texts:
        say(response, text)
    response.dial(number)
    response.hangup()
    return response


def ask(texts: list[str], action: str, silence: str, keypad_only: bool = False, digits: int | None = None,
        reprompt: str | None = None) -> VoiceResponse:
    """Say the texts while listening; on silence say sorry and ask the last question once more; on silence
    again Twilio falls through to the <Redirect> (the silence handler)."""
    response = VoiceResponse()
    first = gather(action, keypad_only, digits)
    for text in texts:
        say(first, text)
    response.append(first)
    again = gather(action, keypad_only, digits)
    say(again, "Sorry, I didn't hear anything.")
    say(again, reprompt or (texts[-1] if texts else "Please give your answer."))
    response.append(again)
    response.redirect(silence, method="POST")
    return response
