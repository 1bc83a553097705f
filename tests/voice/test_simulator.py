"""The call simulator against the real gateway over HTTP (no assistant needed for the menu): its signatures
are accepted exactly as Twilio's are, and it follows Gather timeouts, Redirect, Dial and Hangup."""
from __future__ import annotations

import pytest

from .gateway import TOKEN, served
from .simulator import Call


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    with served(tmp_path_factory.mktemp("sim"), SPR_STAFF_NUMBER="+442079460999") as base:
        yield base


@pytest.fixture(autouse=True)
def in_hours(monkeypatch):
    monkeypatch.setenv("CIS_NOW", "2026-11-24T10:00:00+00:00")


def test_no_key_gets_the_menu_once_more_then_goodbye(gateway):
    call = Call(gateway, TOKEN)
    assert "press 2" in " ".join(call.dial_in())
    assert call.waiting_for == "dtmf"
    assert "didn't hear a key" in " ".join(call.silence())
    assert "Goodbye" in " ".join(call.silence())
    assert call.ended and all(r.status in (200, 204) for r in call.requests)
    assert call.requests[-1].url.endswith("/voice/status") and call.requests[-1].params["CallStatus"] == "completed"


def test_another_key_is_put_through_in_opening_hours(gateway):
    call = Call(gateway, TOKEN)
    call.dial_in()
    call.press("9")
    assert call.dialled == ["+442079460999"] and call.ended


def test_speech_is_not_heard_by_a_keypad_only_gather(gateway):
    call = Call(gateway, TOKEN)
    call.dial_in()
    assert "didn't hear a key" in " ".join(call.say("two"))


def test_a_simulator_with_the_wrong_token_is_refused(gateway):
    with pytest.raises(AssertionError, match="403"):
        Call(gateway, "wrong-token").dial_in()


def test_the_assistant_being_unreachable_is_spoken_not_a_500(gateway):
    call = Call(gateway, TOKEN)
    call.dial_in()
    assert "isn't working just now" in " ".join(call.press("2"))
    assert call.dialled == ["+442079460999"]
