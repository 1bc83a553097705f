"""Two hot spots of Rasa 3.6 made cheap, with the same results (make bench: docs/benchmarks-notes.md).

Rasa 3.6 is in maintenance and these are plain look-ups it repeats on every turn:

- ``Event.resolve_by_type`` walks every subclass of ``Event`` (with ``inspect.isabstract`` on each) to
  turn an event's type name into its class, once per event, so reading a 214-event tracker from the
  tracker store cost about 7 ms. Here a found class is remembered; anything not found (an unknown
  name, the ``default``) still goes through Rasa's own code.
- ``RemoteAction._validate_action_result`` calls ``jsonschema.validate``, which re-checks Rasa's fixed
  response schema against the JSON Schema meta-schema on every action-server reply (about 2 ms) before
  checking the reply. Here the schema is checked once; a reply that fails goes through Rasa's own
  check, so it raises the same ``ValidationError`` with the same message.

``apply()`` runs when the Rasa server imports this package (credentials.yml names bot.voice_channel).
"""
from __future__ import annotations

import logging
from typing import Any, Callable, Dict, Optional, Text, Type

import rasa
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event

_ORIGINAL_RESOLVE: Callable[..., Optional[Type[Event]]] = Event.resolve_by_type
_ORIGINAL_VALIDATE = RemoteAction._validate_action_result
_event_classes: Dict[Text, Type[Event]] = {}
_response_validator = None
log = logging.getLogger(__name__)


def resolve_event_type(type_name: Text, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
    found = _event_classes.get(type_name)
    if found is None:
        found = _ORIGINAL_RESOLVE(type_name, default)
        if found is not None and getattr(found, "type_name", None) == type_name:
            _event_classes[type_name] = found
    return found


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    from jsonschema.validators import validator_for

    global _response_validator
    if _response_validator is None:
        schema = RemoteAction.action_response_format_spec()
        checker = validator_for(schema)
        checker.check_schema(schema)
        _response_validator = checker(schema)
    if _response_validator.is_valid(result):
        return True
    return _ORIGINAL_VALIDATE(self, result)  # raises Rasa's own ValidationError, with its message


def apply() -> bool:
    """Install both on the Rasa version they were written against, and say in the log which happened."""
    if not rasa.__version__.startswith("3.6."):
        log.warning("rasa_speedups stood aside: written for Rasa 3.6, this is Rasa %s", rasa.__version__)
        return False
    Event.resolve_by_type = staticmethod(resolve_event_type)  # type: ignore[method-assign]
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    log.info("rasa_speedups applied to Rasa %s", rasa.__version__)
    return True
