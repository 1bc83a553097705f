"""When a call back is due: the service file's callback_within_minutes, counting the line's opening hours only
(ServiceDefinition.callback_due, the one place the rule is written)."""
from dataclasses import replace
from datetime import datetime, timezone

import pytest

from referral_rules import service_definition
from referral_rules.service_definition import DEFAULT_PATH

CIS = service_definition.load()  # 08:00 to 20:00 London time, 60 minutes
WEST_LOTHIAN = service_definition.load(DEFAULT_PATH.parent / "west-lothian.yml")  # 24/7, 60 minutes


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def test_both_service_files_give_the_allowance_and_their_key():
    assert (CIS.key, CIS.callback_within_minutes) == ("cis", 60)
    assert (WEST_LOTHIAN.key, WEST_LOTHIAN.callback_within_minutes) == ("west-lothian", 60)


@pytest.mark.parametrize("asked,opens", [
    ("2026-11-24T10:00:00", "2026-11-24T10:00:00"),  # open: now
    ("2026-11-24T06:30:00", "2026-11-24T08:00:00"),  # before opening: today
    ("2026-11-24T20:00:00", "2026-11-25T08:00:00"),  # closing time: tomorrow
    ("2026-11-24T23:59:00", "2026-11-25T08:00:00"),
    ("2026-07-01T22:00:00", "2026-07-02T07:00:00"),  # 23:00 BST: 08:00 BST is 07:00 UTC
])
def test_the_next_opening(asked, opens):
    assert CIS.next_opening(utc(asked)) == utc(opens)


@pytest.mark.parametrize("asked,due", [
    ("2026-11-24T10:00:00", "2026-11-24T11:00:00"),  # in hours: the allowance from now
    ("2026-11-24T21:30:00", "2026-11-25T09:00:00"),  # across a closed night: the allowance from the opening
    ("2026-11-25T02:00:00", "2026-11-25T09:00:00"),  # small hours: from the opening that morning
    ("2026-11-24T19:30:00", "2026-11-25T08:30:00"),  # 30 minutes before closing: the other 30 next morning
    ("2026-11-24T19:00:00", "2026-11-24T20:00:00"),  # exactly the allowance before closing: at closing
    ("2026-07-01T06:30:00", "2026-07-01T08:00:00"),  # 07:30 BST: 08:00 BST opening, due 09:00 BST
])
def test_a_call_back_is_due_within_the_allowance_of_opening_hours(asked, due):
    assert CIS.callback_due(utc(asked)) == utc(due)


def test_an_allowance_longer_than_a_day_of_opening_counts_only_the_open_hours():
    long_allowance = replace(CIS, callback_within_minutes=12 * 60 + 30)  # a 12-hour day and a half hour
    assert long_allowance.callback_due(utc("2026-11-24T10:00:00")) == utc("2026-11-25T10:30:00")


@pytest.mark.parametrize("asked,due", [("2026-11-25T03:00:00", "2026-11-25T04:00:00"),
                                       ("2026-11-24T23:30:00", "2026-11-25T00:30:00")])
def test_a_line_that_is_always_open_is_due_the_allowance_after_the_request(asked, due):
    assert WEST_LOTHIAN.callback_due(utc(asked)) == utc(due)


def test_a_service_file_without_a_whole_number_of_minutes_is_refused(tmp_path):
    import yaml

    raw = yaml.safe_load(DEFAULT_PATH.read_text())
    for bad in (0, "soon", None):
        raw["callback_within_minutes"] = bad
        path = tmp_path / "service.yml"
        path.write_text(yaml.safe_dump(raw))
        with pytest.raises(service_definition.ServiceDefinitionError, match=": callback_within_minutes: must be"):
            service_definition.load(path)
