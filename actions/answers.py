"""Answers to callers' questions part way through a referral, from the service file.

The ResponseSelector picks which question (question/<topic>, data/nlu/questions.yml); the wording is the
domain's utter_question/<topic> response, its {values} filled here. Inside a form the form then asks its
question again (data/rules/questions.yml): a question never fills a slot.
"""
from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from referral_rules.service_definition import ServiceDefinition

from .context import hours_text, service

# Why each detail is asked, by the slot being asked for.
_WHY = {
    ("caller_type",): "Health and care professionals can refer anyone; members of the public can refer someone "
                      "the team has supported before, so I need to know which you are.",
    ("profession", "registration_number", "pin"): "Only registered professionals can make a referral, so I check "
                                                  "your registration and PIN before taking one.",
    ("supported_before", "client_nhs_number", "client_date_of_birth"):
        "Members of the public can refer someone the team has supported before: the {identifier} and date of "
        "birth let the team find their record.",
    ("caller_name", "caller_relationship", "caller_phone"): "So the team knows who made the referral and can call "
                                                            "you back.",
    ("patient_name", "patient_date_of_birth", "patient_nhs_number"): "So the team can be sure they have the right "
                                                                     "person and find their health records.",
    ("patient_address", "patient_postcode"): "The team visits people where they live, and the postcode tells us "
                                             "whether they're in the area the team covers.",
    ("patient_phone",): "So the team can phone to arrange the first visit.",
    ("lives_alone", "setting", "expected_discharge_date"): "So the team can plan when and where to start, and "
                                                           "how much support is needed.",
    ("consent", "best_interests"): "A referral needs the person's agreement, or a best-interests decision if they "
                                   "can't give it.",
    ("reason", "difficulties", "goals", "risks", "mental_health_crisis"): "So the team sends the right people, "
                                                                          "ready for what they'll find.",
    ("urgency",): "So the most urgent referrals are seen first.",
    ("service",): "The services do different things, and only the one chosen will pick up the referral.",
}
_WHY_AT_ALL = "Each detail helps the team reach the right person and plan their support."


def why_needed(slot: str | None, d: ServiceDefinition) -> str:
    reason = next((text for slots, text in _WHY.items() if slot in slots), None)
    return (reason or _WHY_AT_ALL).format(identifier=d.patient_identifier.name)


def services_said(d: ServiceDefinition) -> str:
    """Each service's name and summary, from the service file."""
    return " ".join(f"{s.name}: {s.summary}." for s in d.services.values())


def answer_values(d: ServiceDefinition, asked: str | None) -> dict:
    told = d.callers_told
    urgent = "" if d.always_open else (f"Outside those hours, for urgent advice call NHS {d.urgent_advice_number}, "
                                       f"or {d.emergency_number} in an emergency.")
    return {"service": d.name, "services": services_said(d), "what_happens_next": told.what_happens_next,
            "who_will_call": told.who_will_call, "where_seen": told.where_seen, "hours": hours_text(d),
            "urgent": urgent, "why_needed": why_needed(asked, d)}


def topic_of(tracker: Tracker) -> str | None:
    """question/how_long, as the ResponseSelector chose it; None when it chose nothing."""
    selected = ((tracker.latest_message or {}).get("response_selector") or {}).get("question") or {}
    return (selected.get("response") or {}).get("intent_response_key")


class ActionAnswerQuestion(Action):
    def name(self) -> str:
        return "action_answer_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        d = service()
        topic = topic_of(tracker)
        if topic and f"utter_{topic}" in (domain.get("responses") or {}):
            dispatcher.utter_message(response=f"utter_{topic}",
                                     **answer_values(d, tracker.get_slot("requested_slot")))
        else:
            dispatcher.utter_message(text=f"I can't answer that here, but the team can: call the {d.referral_line} "
                                          f"on {d.referral_line_phone}, option {d.referral_line_option}.")
        return []
