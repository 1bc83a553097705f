"""bot/rasa_speedups.py: Rasa answers exactly as before, only sooner."""
import asyncio

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses

import bot  # noqa: F401  (the Rasa server imports it through credentials.yml, which installs the speed-ups)
from bot import rasa_speedups

DOMAIN = Domain.load("domain.yml")


def test_the_speedups_are_installed_when_the_rasa_server_loads_the_bot_package():
    assert Event.resolve_by_type is rasa_speedups.resolve_event_type
    assert RemoteAction._validate_action_result is rasa_speedups.validate_action_result


def test_every_event_type_resolves_to_the_class_rasa_itself_finds():
    for cls in all_subclasses(Event):
        assert Event.resolve_by_type(cls.type_name) is rasa_speedups._ORIGINAL_RESOLVE(cls.type_name)
        assert Event.resolve_by_type(cls.type_name) is rasa_speedups._ORIGINAL_RESOLVE(cls.type_name)  # cached


def test_an_unknown_event_type_still_fails_or_falls_back_as_in_rasa():
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    assert Event.resolve_by_type("topic") is None


def test_a_conversation_reads_back_from_the_tracker_store_unchanged():
    tracker = DialogueStateTracker.from_events("gp-1", [
        ActionExecuted("action_listen"), UserUttered("I'm a GP", {"name": "i_am_professional"}),
        ActionExecuted("caller_form"), ActiveLoop("caller_form"), SlotSet("caller_type", "professional"),
        BotUttered("What is your registration number?"), ActionExecuted("action_listen")], slots=DOMAIN.slots)
    store = InMemoryTrackerStore(DOMAIN)
    asyncio.run(store.save(tracker))
    again = asyncio.run(store.retrieve("gp-1"))
    assert list(again.events) == list(tracker.events)
    assert again.get_slot("caller_type") == "professional"


def test_a_good_action_server_reply_passes():
    reply = {"events": [{"event": "slot", "name": "patient_name", "value": "Edith Clarke"}],
             "responses": [{"text": "What is her date of birth?"}]}
    assert RemoteAction("validate_patient_form", None)._validate_action_result(reply) is True


def test_a_bad_action_server_reply_is_refused_with_rasas_own_message():
    reply = {"events": [{"event": "slot_maybe", "name": "patient_name"}], "responses": []}
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        RemoteAction("validate_patient_form", None)._validate_action_result(reply)
    with pytest.raises(ValidationError):
        RemoteAction("validate_patient_form", None)._validate_action_result({"events": "not a list"})


def test_the_log_says_whether_the_speedups_applied_and_on_which_rasa(caplog, monkeypatch):
    import rasa

    with caplog.at_level("INFO", logger="bot.rasa_speedups"):
        assert rasa_speedups.apply() is True
    assert f"rasa_speedups applied to Rasa {rasa.__version__}" in caplog.text

    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    validate = RemoteAction._validate_action_result
    monkeypatch.setattr(Event, "resolve_by_type", staticmethod(rasa_speedups._ORIGINAL_RESOLVE))
    with caplog.at_level("INFO", logger="bot.rasa_speedups"):
        assert rasa_speedups.apply() is False
    assert "rasa_speedups stood aside: written for Rasa 3.6, this is Rasa 3.7.0" in caplog.text
    assert Event.resolve_by_type is rasa_speedups._ORIGINAL_RESOLVE  # left as Rasa made it
    assert RemoteAction._validate_action_result is validate
