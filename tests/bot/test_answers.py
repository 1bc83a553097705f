"""Answers to callers' questions come from the service file, whichever line it is."""
import asyncio

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import ActionAnswerQuestion, answer_values, why_needed
from referral_rules.service_definition import load

from .trackers import tracker

FILES = ["data/services/cis.yml", "data/services/west-lothian.yml"]


@pytest.mark.parametrize("path", FILES)
def test_each_services_summary_and_the_hours_come_from_the_file(path):
    d = load(path)
    values = answer_values(d, None)
    assert all(s.summary in values["services"] for s in d.services.values())
    assert values["where_seen"] == d.callers_told.where_seen
    assert values["hours"] == ("24 hours a day" if d.always_open else f"from {d.opens:%H:%M} to {d.closes:%H:%M} every day")
    assert (values["urgent"] == "") == d.always_open  # no "outside those hours" for a line that never closes


def test_why_a_detail_is_needed_names_the_files_identifier():
    assert "CHI number" in why_needed("client_nhs_number", load(FILES[1]))
    assert "NHS number" in why_needed("client_nhs_number", load(FILES[0]))
    assert why_needed("patient_postcode", load(FILES[0])) != why_needed("urgency", load(FILES[0]))


def asked(topic):
    said = tracker("how long is it?", intent="question", slots={"requested_slot": "patient_name"})
    if topic:
        said.latest_message["response_selector"] = {
            "question": {"response": {"intent_response_key": topic, "confidence": 0.9}}}
    dispatcher = CollectingDispatcher()
    domain = {"responses": {"utter_question/how_long": [{"text": "How long depends on the service. {services}"}]}}
    asyncio.run(ActionAnswerQuestion().run(dispatcher, said, domain))
    return dispatcher.messages


def test_the_chosen_topic_is_answered_with_its_domain_response_and_the_files_values():
    [message] = asked("question/how_long")
    assert message["response"] == "utter_question/how_long"
    assert load(FILES[0]).services["rapid_response"].summary in message["services"]


def test_a_question_the_selector_could_not_place_gets_the_lines_number():
    [message] = asked(None)
    assert load(FILES[0]).referral_line_phone in message["text"]
