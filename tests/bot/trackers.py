"""Recorded trackers: the state of a conversation as the Rasa server sends it to the action server."""
from rasa_sdk import Tracker


def tracker(text: str, intent: str = "inform", confidence: float = 0.9, slots: dict | None = None,
            active_loop: str | None = None, channel: str = "rest", sender: str = "test-conversation",
            extracted: dict | None = None) -> Tracker:
    """``extracted``: the slots Rasa filled from this message, which a form's validation action checks."""
    return Tracker(
        sender_id=sender,
        slots={"requested_slot": None, **(slots or {}), **(extracted or {})},
        latest_message={"text": text, "intent": {"name": intent, "confidence": confidence}, "entities": []},
        events=[{"event": "user", "text": text, "input_channel": channel,
                 "parse_data": {"intent": {"name": intent, "confidence": confidence}}},
                *({"event": "slot", "name": name, "value": value} for name, value in (extracted or {}).items())],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


DOMAIN = {"forms": {}, "slots": {}}
