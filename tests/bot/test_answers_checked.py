"""Every answer is checked by its question's own rule, whichever way it arrives, against what the case
store can hold; a question is never taken for an answer; and a check that fails still gets a reply."""
import asyncio
import logging
import time

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clinical import ValidateClinicalForm
from actions.interruptions import ActionStop
from actions.patient import ValidatePatientForm
from actions.public_callers import ValidatePublicForm
from actions.service_choice import ValidateServiceForm
from actions.summary import ValidateConfirmForm, apply_correction, summary_lines
from referral_rules import validation

from .trackers import tracker
from .validations import all_validations, without_intake_api

FOLLOW_UP = {"patient_form": {"event": "followup", "timestamp": None, "name": "patient_form"},
             "clinical_form": {"event": "followup", "timestamp": None, "name": "clinical_form"}}


def run(coro):
    return asyncio.run(coro)


def texts(dispatcher: CollectingDispatcher) -> list[str]:
    return [m["text"] for m in dispatcher.messages]


def slots_set(events) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


# --- Answers the classifier took for "stop" go through the question's own check -------------------------

@pytest.mark.parametrize("intent", ["stop", "affirm"])
def test_send_it_is_no_yes_to_does_the_patient_live_alone(intent):
    dispatcher = CollectingDispatcher()
    asked = tracker("send it", intent=intent, active_loop="patient_form", slots={"requested_slot": "lives_alone"})
    if intent == "stop":
        events = run(ActionStop().run(dispatcher, asked, {}))
        assert events[-1] == FOLLOW_UP["patient_form"]
        answer = slots_set(events)
    else:
        answer = ValidatePatientForm().validate_lives_alone("send it", dispatcher, asked, {})
    assert answer["lives_alone"] is None
    assert texts(dispatcher) == ["Sorry, does the patient live alone? Yes or no?"]


def test_after_an_interruption_asked_again_the_form_does_not_ask_a_second_time():
    domain = {"forms": {"patient_form": {"required_slots": ["lives_alone", "consent"]}}, "slots": {}}
    back = tracker("send it", intent="stop", active_loop="patient_form",
                   slots={"requested_slot": "lives_alone", "failures": {"lives_alone": 1}})
    back.events += [{"event": "action", "name": "action_stop"},
                    {"event": "bot", "text": "Sorry, does the patient live alone? Yes or no?"},
                    {"event": "slot", "name": "lives_alone", "value": None},
                    {"event": "slot", "name": "requested_slot", "value": "lives_alone"},
                    {"event": "action", "name": "patient_form"}]
    dispatcher = CollectingDispatcher()
    events = run(ValidatePatientForm().run(dispatcher, back, domain))
    assert texts(dispatcher) == []
    assert events[-1] == SlotSet("requested_slot", "lives_alone")


def test_goals_in_plain_words_heard_as_a_stop_are_kept_as_a_list():
    said = "walk to the shops and see her friends at the day centre"
    asked = tracker(said, intent="stop", active_loop="clinical_form", slots={"requested_slot": "goals"})
    events = run(ActionStop().run(CollectingDispatcher(), asked, {}))
    assert slots_set(events)["goals"] == ["walk to the shops", "see her friends at the day centre"]
    assert events[-1] == FOLLOW_UP["clinical_form"]


def test_goals_corrected_at_the_read_back_are_a_list_and_read_back_as_items():
    changed = run(apply_correction("goals", "walk to the shops", CollectingDispatcher(), tracker("x"), {}))
    assert changed == {"goals": ["walk to the shops"]}
    at_read_back = tracker("yes", slots={**READY, **changed})
    assert "Goals: walk to the shops." in "\n".join(summary_lines(at_read_back))


def test_a_correction_value_heard_as_a_stop_is_checked_too():
    asked = tracker("the 29/02/24", intent="stop", active_loop="confirm_form",
                    slots={"requested_slot": "correction_value", "correction": "expected_discharge_date",
                           "setting": "hospital"})
    dispatcher = CollectingDispatcher()
    events = run(ActionStop().run(dispatcher, asked, {}))
    assert slots_set(events)["correction_value"] is None
    assert texts(dispatcher) == ["That date has passed. When are they expected to go home?"]


# --- A question is not an answer --------------------------------------------------------------------------

def test_which_one_is_quicker_chooses_no_service_and_hears_what_each_is():
    dispatcher = CollectingDispatcher()
    gp = tracker("which one is quicker?", intent="choose_service",
                 slots={"caller_type": "professional", "referrer": {"kind": "health_professional"}})
    result = ValidateServiceForm().validate_service("which one is quicker?", dispatcher, gp, {})
    assert result["service"] is None
    said = texts(dispatcher)[0]
    assert said.startswith("Rapid Response is a fast assessment") and "Rehabilitation and Reablement is" in said
    assert said.endswith("Which one is the referral for?")


@pytest.mark.parametrize("said", ["Rapid Response?", "rapid response please?"])
def test_a_question_that_is_only_a_services_name_chooses_it(said):
    gp = tracker(said, slots={"caller_type": "professional", "referrer": {"kind": "health_professional"}})
    assert ValidateServiceForm().validate_service(said, CollectingDispatcher(), gp, {}) == {"service": "rapid_response"}


@pytest.mark.parametrize("form,slot,said,intent", [
    (ValidatePatientForm, "lives_alone", "does it matter if she lives with her son?", "affirm"),
    (ValidatePatientForm, "consent", "does she have to have agreed?", "affirm"),
    (ValidatePatientForm, "best_interests", "is that the same as consent?", "affirm"),
    (ValidateClinicalForm, "setting", "does it matter that she's in hospital?", "inform"),
    (ValidateClinicalForm, "urgency", "how urgent do you need it to be", "inform"),
    (ValidateClinicalForm, "mental_health_crisis", "what counts as a crisis?", "affirm"),
    (ValidatePublicForm, "caller_relationship", "do you need to know if I'm family?", "inform"),
    (ValidatePublicForm, "supported_before", "were you with her last year?", "affirm"),
    (ValidateConfirmForm, "confirmed", "what happens when I send it?", "affirm"),
])
def test_a_question_at_a_closed_question_fills_nothing_and_asks_again(form, slot, said, intent):
    dispatcher = CollectingDispatcher()
    result = run(form().checked(slot, said, dispatcher, tracker(said, intent=intent), {}))
    assert result[slot] is None
    assert texts(dispatcher)[-1].endswith("?")


@pytest.mark.parametrize("slot,said,expected", [("lives_alone", "yes?", True), ("urgency", "routine?", "routine"),
                                                ("setting", "at home?", "home")])
def test_an_answer_said_as_a_question_is_still_the_answer(slot, said, expected):
    form = ValidateClinicalForm() if slot in ("urgency", "setting") else ValidatePatientForm()
    assert run(form.checked(slot, said, CollectingDispatcher(), tracker(said), {}))[slot] == expected


def test_a_correction_asked_as_a_question_is_still_a_correction():
    said = "can you change the postcode?"
    result = run(ValidateConfirmForm().validate_confirmed(said, CollectingDispatcher(), tracker(said), {}))
    assert result == {"correction": "patient_postcode", "confirmed": "correcting", "correction_value": None}


# --- What the case store can hold is checked at the question ----------------------------------------------

READY = {"caller_type": "professional", "referrer": {"name": "Dr Amy Patel", "profession_name": "GP",
                                                     "organisation": "Westbourne Green Surgery"},
         "service": "rapid_response", "patient_name": "Edith Clarke", "patient_date_of_birth": "1941-03-07",
         "patient_nhs_number": "9434765919", "patient_address": "12 Porchester Square", "patient_postcode": "W2 4RJ",
         "patient_phone": "+447712345678", "lives_alone": True, "consent": "given", "setting": "home",
         "reason": "fall", "difficulties": ["mobility"], "goals": ["walk"], "risks": [], "mental_health_crisis": False,
         "urgency": "urgent"}


def test_a_reason_pasted_from_a_discharge_letter_is_asked_to_be_shortened_not_refused_after_the_read_back():
    letter = "Discharge summary. " * 250  # 4,750 characters
    dispatcher = CollectingDispatcher()
    result = ValidateClinicalForm().validate_reason(letter, dispatcher, tracker(letter), {})
    assert result["reason"] is None
    assert texts(dispatcher)[0].startswith("That's longer than I can keep")
    changed = run(apply_correction("reason", letter, CollectingDispatcher(), tracker(letter), {}))
    assert changed is None  # nor slipped in as a correction at the read-back


def test_a_reason_the_store_can_hold_is_kept_whole():
    reason = ("x" * 3999 + ".").strip()
    assert ValidateClinicalForm().validate_reason(reason, CollectingDispatcher(), tracker(reason), {}) == {
        "reason": reason}


@pytest.mark.parametrize("slot,said,problem", [
    ("goals", ", ".join(f"goal {n}" for n in range(21)), "I can keep up to 20"),
    ("difficulties", "stairs, " + "w" * 301, "One item is longer than I can keep"),
    ("risks", "falls and " + "r" * 301, "One item is longer than I can keep"),
])
def test_lists_the_store_cannot_hold_are_asked_again(slot, said, problem):
    dispatcher = CollectingDispatcher()
    result = getattr(ValidateClinicalForm(), f"validate_{slot}")(said, dispatcher, tracker(said), {})
    assert result[slot] is None and problem in texts(dispatcher)[0]


@pytest.mark.parametrize("form,slot,said", [
    (ValidatePatientForm, "patient_name", "Edith " + "C" * 101),
    (ValidatePatientForm, "patient_name", " ".join(["Anna-Maria" * 3] * 4) + " Clarke"),  # given names: 127
    (ValidatePublicForm, "caller_name", "Mary " + "O" * 200),
    (ValidatePatientForm, "patient_address", "12 Porchester Square " + "and more " * 40),
])
def test_names_and_addresses_too_long_for_the_store_are_asked_again(form, slot, said):
    dispatcher = CollectingDispatcher()
    result = run(form().checked(slot, said, dispatcher, tracker(said), {}))
    assert result[slot] is None and texts(dispatcher)[0].startswith("That's longer than I can keep")
    assert len(said) > validation.MAX_LENGTH[{"patient_name": "given_name", "caller_name": "person_name",
                                              "patient_address": "address_line"}[slot]]


def test_control_characters_never_reach_the_store():
    said = "fell at home\x00 and\x1b can't\x7f get up"
    assert ValidateClinicalForm().validate_reason(said, CollectingDispatcher(), tracker(said), {}) == {
        "reason": "fell at home and can't get up"}


# --- Dates that do not exist ------------------------------------------------------------------------------

@pytest.mark.parametrize("at,said,reply", [
    ("2026-11-24T10:00:00+00:00", "29/02/24", "That date has passed. When are they expected to go home?"),
    ("2028-03-01T10:00:00+00:00", "29 February", "That date has passed. When are they expected to go home?"),
    ("2026-11-24T10:00:00+00:00", "31/04/2026", "I couldn't read that as a date. You can say a date, like 27 "
                                                "November, or 'tomorrow'."),
])
def test_a_discharge_date_that_is_past_or_impossible_is_asked_again(monkeypatch, at, said, reply):
    monkeypatch.setenv("CIS_NOW", at)
    dispatcher = CollectingDispatcher()
    result = ValidateClinicalForm().validate_expected_discharge_date(said, dispatcher, tracker(said), {})
    assert result["expected_discharge_date"] is None and texts(dispatcher) == [reply]


# --- The safety net ---------------------------------------------------------------------------------------

def test_a_check_that_still_raises_gets_an_apology_and_the_question_and_logs_no_identifier(monkeypatch, caplog):
    def broken(self, value, dispatcher, tracker, domain):
        raise ValueError(f"cannot use {value}")

    monkeypatch.setattr(ValidatePatientForm, "validate_patient_nhs_number", broken)
    domain = {"forms": {"patient_form": {"required_slots": ["patient_nhs_number"]}}, "slots": {}}
    said = tracker("9434765919", active_loop="patient_form", slots={"requested_slot": "patient_nhs_number"},
                   extracted={"patient_nhs_number": "9434765919"})
    dispatcher = CollectingDispatcher()
    with caplog.at_level(logging.DEBUG):
        events = run(ValidatePatientForm().run(dispatcher, said, domain))
    assert texts(dispatcher) == ["Sorry, I couldn't take that answer.",
                                 "What is the patient's NHS number? If you don't have it, say you don't know."]
    assert SlotSet("patient_nhs_number", None) in events
    assert "ValueError" in caplog.text and "9434765919" not in caplog.text


# --- A very long answer is answered at once ---------------------------------------------------------------

@pytest.mark.parametrize("said", ["ab" * 5000, "a" * 10_001, "1 " * 5000, "no " * 3334])
def test_a_very_long_answer_at_any_question_is_answered_within_a_moment(monkeypatch, said):
    without_intake_api(monkeypatch)
    for form, slot in all_validations():
        started = time.perf_counter()
        run(form.checked(slot, said, CollectingDispatcher(), tracker(said, slots={"profession": "other_hcp"}), {}))
        assert time.perf_counter() - started < 0.5, slot  # (a registration number took 2.6 s over "abab...")
