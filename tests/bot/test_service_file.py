"""The bot's service words come from the service file: the same actions (and the same trained model, whose one
intent choose_service only says "this is a choice") serve West Lothian's Reablement and 24/7 Crisis Care as they
serve the CIS line."""
import ast
import asyncio
import re
from pathlib import Path

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.authentication import ValidateProfessionalForm
from actions.caller import ValidateCallerForm
from actions.clinical import ValidateClinicalForm
from actions.interruptions import ActionBotChallenge, ActionGoodbye, ActionHandoff
from actions.patient import ValidatePatientForm
from actions.public_callers import ValidatePublicForm
from actions.questions import question
from actions.service_choice import ValidateServiceForm
from referral_rules.service_definition import load

from .trackers import tracker

ROOT = Path(__file__).resolve().parents[2]
SERVICE_FILES = sorted((ROOT / "data" / "services").glob("*.yml"))
GP = {"caller_type": "professional", "referrer": {"kind": "health_professional"}}
SOCIAL_WORKER = {"caller_type": "professional", "referrer": {"kind": "social_worker"}}
CALLER_FORM_DOMAIN = {"forms": {"caller_form": {"required_slots": ["caller_type"]}},
                      "slots": {"caller_type": {"mappings": [{"type": "custom"}]}}}


def texts(dispatcher: CollectingDispatcher) -> list[str]:
    return [m["text"] for m in dispatcher.messages if m.get("text")]


def choose(said: str, caller: dict, intent: str = "choose_service") -> tuple[dict, list[str]]:
    dispatcher = CollectingDispatcher()
    result = ValidateServiceForm().validate_service(said, dispatcher, tracker(said, intent=intent, slots=caller), {})
    return result, texts(dispatcher)


# --- Choosing a service: the words are the file's -------------------------------------------------------------

@pytest.mark.parametrize("said,chosen", [
    ("crisis care please", "crisis_care"), ("the 24/7 crisis service", "crisis_care"),
    ("24/7 Crisis Care", "crisis_care"), ("reablement please", "reablement"), ("rehab, not urgent", "reablement")])
def test_west_lothian_services_are_chosen_by_their_own_words(west_lothian, said, chosen):
    assert choose(said, GP)[0] == {"service": chosen}


def test_a_choice_naming_no_service_is_asked_again_with_the_files_names(west_lothian):
    result, said = choose("that service please", GP)
    assert result["service"] is None
    assert said == ["Sorry, which service is this referral for: Reablement or 24/7 Crisis Care?"]


def test_a_choice_naming_no_service_is_the_one_service_a_referrer_may_use(west_lothian):
    assert choose("that one please", SOCIAL_WORKER)[0] == {"service": "reablement"}
    assert choose("purple", SOCIAL_WORKER, intent="inform")[0]["service"] is None  # not a choice at all


def test_a_service_this_referrer_may_not_use_is_refused_in_the_files_words(west_lothian):
    result, said = choose("crisis care", SOCIAL_WORKER)
    assert result["service"] is None
    assert said == ["24/7 Crisis Care referrals have to come from a health care professional, such as the person's "
                    "GP. I can take a Reablement referral instead."]


def test_a_service_named_in_the_first_words_is_offered_back(west_lothian):
    gp = tracker("482913", slots=GP)
    gp.events[:0] = [{"event": "user", "text": "GP here, a 24/7 crisis care referral please"}]
    dispatcher = CollectingDispatcher()
    ValidateServiceForm().ask_service(dispatcher, gp)
    assert texts(dispatcher)[0].startswith("You mentioned 24/7 Crisis Care")


@pytest.mark.parametrize("said,chosen", [
    ("rapid response please", "rapid_response"), ("RR", "rapid_response"), ("urgent", "rapid_response"),
    ("the five day one", "rapid_response"), ("rehabilitation and reablement", "rehab_reablement"),
    ("rehab, not urgent", "rehab_reablement"), ("physio at home", "rehab_reablement"),
    ("6 week reablement", "rehab_reablement"), ("crisis response", "rapid_response")])
def test_the_cis_file_makes_the_cis_lines_choices(said, chosen):
    assert choose(said, GP)[0] == {"service": chosen}


def test_the_cis_refusal_is_as_it_was():
    result, said = choose("rapid response", SOCIAL_WORKER)
    assert said == ["Rapid Response referrals have to come from a health care professional, such as the person's "
                    "GP. I can take a Rehabilitation and Reablement referral instead."]


def test_the_services_own_names_are_no_persons_name(west_lothian):
    form = ValidatePatientForm()
    assert form.validate_patient_name("Crisis Care", CollectingDispatcher(), tracker("Crisis Care"), {})[
        "patient_name"] is None
    assert form.validate_patient_name("Diana Quick", CollectingDispatcher(), tracker("Diana Quick"), {}) == {
        "patient_name": "Diana Quick"}


# --- The rest of the line's words ----------------------------------------------------------------------------

def test_the_patient_identifier_is_asked_and_checked_as_a_chi_number(west_lothian):
    assert question("patient_nhs_number", "chat").startswith("What is the patient's CHI number?")
    assert "CHI number" in question("client_nhs_number", "voice") and "10 digits" in question("client_nhs_number",
                                                                                              "voice")
    form = ValidatePatientForm()
    assert form.validate_patient_nhs_number("120538 2623", CollectingDispatcher(), tracker("120538 2623"), {}) == {
        "patient_nhs_number": "1205382623"}
    dispatcher = CollectingDispatcher()
    refused = form.validate_patient_nhs_number("943 476 5919", dispatcher, tracker("943 476 5919"), {})
    assert refused["patient_nhs_number"] is None  # an English NHS number is no CHI number
    assert "CHI" in texts(dispatcher)[0]


def test_a_relative_is_asked_for_the_chi_number_and_told_where_to_find_it(west_lothian):
    form, dispatcher = ValidatePublicForm(), CollectingDispatcher()
    form.validate_client_nhs_number("no idea", dispatcher, tracker("no idea", intent="dont_know"), {})
    assert texts(dispatcher)[0].startswith("I need their CHI number") and "NHS App" not in texts(dispatcher)[0]
    assert ValidatePublicForm().validate_client_nhs_number("1205382623", CollectingDispatcher(),
                                                           tracker("1205382623"), {}) == {
        "client_nhs_number": "1205382623"}


def first_reply(monkeypatch, at: str) -> list[str]:
    monkeypatch.setenv("CIS_NOW", at)
    dispatcher = CollectingDispatcher()
    asyncio.run(ValidateCallerForm().run(dispatcher, tracker("hello", intent="greet", active_loop="caller_form"),
                                         CALLER_FORM_DOMAIN))
    return texts(dispatcher)


def test_a_line_open_24_7_greets_with_no_out_of_hours_notice_at_3am(west_lothian, monkeypatch):
    said = first_reply(monkeypatch, "2026-11-24T03:00:00+00:00")
    assert said[0] == "Hello, this is the Reablement and 24/7 Crisis Care Service referral line for West Lothian."
    assert "available from" not in " ".join(said) and "pick it up" not in " ".join(said)
    assert "health or social care professional" in said[-1]


def test_the_cis_line_still_gives_its_out_of_hours_notice_at_3am(monkeypatch):
    said = " ".join(first_reply(monkeypatch, "2026-11-24T03:00:00+00:00"))
    assert "Kensington and Chelsea and Westminster" in said and "from 08:00" in said


def test_speak_to_a_person_at_3am_on_a_24_7_line_gives_the_number(west_lothian, monkeypatch):
    monkeypatch.setenv("CIS_NOW", "2026-11-24T03:00:00+00:00")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionHandoff().run(dispatcher, tracker("speak to a person", intent="human_handoff"), {}))
    assert texts(dispatcher) == ["You can speak to the team on 0131 496 0000, option 1; they're there 24 hours a day."]


def test_the_roles_and_registration_bodies_are_the_files(west_lothian):
    assert question("profession", "chat") == ("What is your role? For example GP, hospital doctor, nurse, occupational "
                                              "therapist, physiotherapist, paramedic, pharmacist or social worker.")
    dispatcher = CollectingDispatcher()
    ValidateProfessionalForm().ask_registration_number(dispatcher, tracker("", slots={"profession": "social_worker"}))
    assert texts(dispatcher) == ["What is your Scottish Social Services Council registration number?"]


def test_the_areas_own_hospitals_are_hospitals(west_lothian):
    form = ValidateClinicalForm()
    said = "on a ward at St John's"
    assert form.validate_setting(said, CollectingDispatcher(), tracker(said), {})["setting"] == "hospital"
    said = "St Mary's"  # a London hospital: not one of West Lothian's
    assert form.validate_setting(said, CollectingDispatcher(), tracker(said), {})["setting"] is None


@pytest.mark.parametrize("action,channel,said", [
    (ActionGoodbye, "rest", "Thank you for contacting the Reablement and 24/7 Crisis Care Service. Goodbye."),
    (ActionGoodbye, "voice", "Thank you for calling the Reablement and 24/7 Crisis Care Service. Goodbye."),
    (ActionBotChallenge, "rest", "I'm the automated assistant for the Reablement and Crisis Care referral line. I "
                                 "can take a referral, or give you the number to speak to the team.")])
def test_the_assistant_names_the_service_of_the_file(west_lothian, action, channel, said):
    dispatcher = CollectingDispatcher()
    asyncio.run(action().run(dispatcher, tracker("bye", channel=channel), {}))
    assert texts(dispatcher) == [said]


@pytest.mark.parametrize("action,channel,said", [
    (ActionGoodbye, "rest", "Thank you for contacting the Community Independence Service. Goodbye."),
    (ActionGoodbye, "voice", "Thank you for calling the Community Independence Service. Goodbye."),
    (ActionBotChallenge, "rest", "I'm the automated assistant for the CIS referral line. I can take a referral, or "
                                 "give you the number to speak to the team."),
    (ActionBotChallenge, "voice", "I'm the automated assistant for the Community Independence Service referral line. "
                                  "I can take a referral, or put you through to the team: just say speak to a "
                                  "person.")])
def test_the_cis_lines_goodbye_and_who_am_i_are_as_they_were(action, channel, said):
    dispatcher = CollectingDispatcher()
    asyncio.run(action().run(dispatcher, tracker("bye", channel=channel), {}))
    assert texts(dispatcher) == [said]


# --- No service word in the bot's code ----------------------------------------------------------------------

def service_words(path: Path) -> set[str]:
    """What only a service file may say: its names, its area, its services, its hospitals and phone numbers."""
    d = load(path)
    phones = {d.referral_line_phone, d.transfer_phone, *(c.phone for b in d.boroughs.values()
                                                         for c in b.adult_social_care)}
    return {d.name, d.short_name, d.referral_line, *(s.name for s in d.services.values()),
            *(b.name for b in d.boroughs.values()), *d.local_hospitals, *filter(None, phones)}


def strings_in_code(source: str) -> list[str]:
    """The string constants of a module, without its docstrings (whose examples are no behaviour)."""
    tree = ast.parse(source)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


@pytest.mark.parametrize("path", SERVICE_FILES, ids=lambda p: p.name)
def test_no_service_word_is_in_the_bots_code_or_domain(path):
    words = service_words(path)
    found = [(module.name, word) for module in sorted((ROOT / "actions").glob("*.py"))
             for text in strings_in_code(module.read_text()) for word in words
             if re.search(rf"(?<![a-z]){re.escape(word.lower())}(?![a-z])", text.lower())]
    domain = (ROOT / "domain.yml").read_text().lower()
    found += [("domain.yml", word) for word in words if re.search(rf"(?<![a-z]){re.escape(word.lower())}(?![a-z])",
                                                                    domain)]
    assert found == []
