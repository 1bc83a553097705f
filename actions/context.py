"""What every action may need to know about the conversation: the line's service file, today, the channel."""
from __future__ import annotations

from rasa_sdk import Tracker

from referral_rules.clock import now
from referral_rules.service_definition import ServiceDefinition, load_cached


def service() -> ServiceDefinition:
    return load_cached()


def today():
    return now().astimezone(service().timezone).date()


def channel_of(tracker: Tracker) -> str:
    return "voice" if tracker.get_latest_input_channel() == "voice" else "chat"


def hours_text(d: ServiceDefinition) -> str:
    """When the team answers: "from 08:00 to 20:00 every day", or "24 hours a day"."""
    return "24 hours a day" if d.always_open else f"from {d.opens:%H:%M} to {d.closes:%H:%M} every day"
