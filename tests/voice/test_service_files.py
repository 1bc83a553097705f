"""The telephone line says what its service file says: West Lothian's 24/7 line at 03:00 has no out-of-hours
message and puts callers through to the file's transfer number; CIS at 03:00 is closed, as before."""
from __future__ import annotations

import pytest

from referral_rules.service_definition import DEFAULT_PATH

from .gateway import TOKEN, served
from .simulator import Call
WEST_LOTHIAN = DEFAULT_PATH.parent / "west-lothian.yml"
WEST_LOTHIAN_TRANSFER = "+441314960001"  # the file's placeholder transfer_phone, as dialled
OUT_OF_HOURS = ("can't put you through", "8 am", "opening hours", "out of hours")


@pytest.fixture(scope="module")
def west_lothian(tmp_path_factory):
    # No SPR_STAFF_NUMBER: transfers go to the file's transfer_phone.
    with served(tmp_path_factory.mktemp("wl"), SERVICE_DEFINITION=str(WEST_LOTHIAN), SPR_STAFF_NUMBER="") as base:
        yield base


@pytest.fixture(scope="module")
def cis(tmp_path_factory):
    with served(tmp_path_factory.mktemp("cis"), SERVICE_DEFINITION=str(DEFAULT_PATH), SPR_STAFF_NUMBER="") as base:
        yield base


@pytest.fixture(autouse=True)
def three_in_the_morning(monkeypatch):
    monkeypatch.setenv("CIS_NOW", "2026-11-24T03:00:00+00:00")


def test_the_west_lothian_menu_at_3am_is_open_with_its_own_names_and_option(west_lothian):
    call = Call(west_lothian, TOKEN)
    menu = " ".join(call.dial_in())
    assert "Thank you for calling the West Lothian Reablement and Crisis Care referral line" in menu
    assert "open 24 hours a day, every day" in menu
    assert "For the Reablement and 24/7 Crisis Care Service, press 1" in menu
    assert not any(words in menu for words in OUT_OF_HOURS)


def test_another_key_at_3am_is_put_through_to_the_files_transfer_number(west_lothian):
    call = Call(west_lothian, TOKEN)
    call.dial_in()
    heard = " ".join(call.press("9"))
    assert "option 1 is the Reablement and 24/7 Crisis Care Service. I'll put you through" in heard
    assert call.dialled == [WEST_LOTHIAN_TRANSFER] and call.ended


def test_option_1_with_the_assistant_down_at_3am_is_put_through_not_sent_away(west_lothian):
    call = Call(west_lothian, TOKEN)
    call.dial_in()
    assert "isn't working just now" in " ".join(call.press("1"))
    assert call.dialled == [WEST_LOTHIAN_TRANSFER]


def test_no_key_at_3am_gets_the_number_and_24_hours_then_goodbye(west_lothian):
    call = Call(west_lothian, TOKEN)
    call.dial_in()
    call.silence()
    last = " ".join(call.silence())
    assert "24 hours a day" in last and "Goodbye" in last and call.dialled == []
    assert not any(words in last for words in OUT_OF_HOURS)


def test_the_goodbye_names_the_files_service(west_lothian):
    call = Call(west_lothian, TOKEN)
    response = call.signed_post(west_lothian + "/voice/silence?done=1", call._params())
    assert "Thank you for calling the Reablement and 24/7 Crisis Care Service. Goodbye." in response.text


def test_cis_at_3am_is_closed_and_says_its_hours_as_before(cis):
    call = Call(cis, TOKEN)
    menu = " ".join(call.dial_in())
    assert "Single Point of Referral" in menu and "8 am to 8 pm every day" in menu and "press 2" in menu
    heard = " ".join(call.press("9"))
    assert "can't put you through" in heard and call.dialled == []
