"""Someone referring themself is asked about "you", once; a postcode outside the area gets a second chance.

The actions against recorded trackers, the intake API replaced at the unit's border (its own lookup of the
local authority's name: tests/api/test_routing.py)."""
import asyncio
from pathlib import Path

import pytest
import yaml
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import intake_client
from actions.patient import ActionOutOfArea, ValidatePatientForm
from actions.public_callers import ValidatePublicForm, refusal_text
from actions.questions import FIRST, QUESTIONS, THIRD, question
from actions.summary import apply_correction
from referral_rules import validation

from .trackers import tracker

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())
SELF = {"caller_type": "public", "caller_relationship": "self"}
CAMDEN = {"postcode": "NW1 2AA", "in_area": False, "borough": {"code": "E09000007", "name": "Camden"},
          "council": {"code": "E09000007", "name": "Camden"}, "contacts": []}


def run(coro):
    return asyncio.run(coro)


def texts(dispatcher: CollectingDispatcher) -> list[str]:
    return [m["text"] for m in dispatcher.messages if m.get("text")]


@pytest.fixture
def routing(monkeypatch):
    """The intake API's routing: NW1 2AA is Camden's (outside the area), any other postcode is in it."""
    asked = []

    async def route(postcode):
        asked.append(postcode)
        if postcode == "NW1 2AA":
            return intake_client.Reply(200, CAMDEN)
        return intake_client.Reply(200, {"postcode": validation.postcode(postcode), "in_area": True,
                                         "borough": {"code": "E09000033", "name": "Westminster"}})

    monkeypatch.setattr(intake_client, "routing", route)
    return asked


# --- The wording: one question, in the first or the third person --------------------------------------------

@pytest.mark.parametrize("slot,first", [
    ("supported_before", "supported you before?"),
    ("client_nhs_number", "What is your NHS number?"),
    ("client_date_of_birth", "And when were you born?"),
    ("patient_address", "What is the first line of your address?"),
    ("patient_phone", "What phone number can the team reach you on?"),
    ("lives_alone", "Do you live alone?"),
    ("consent", "Have you agreed to this referral?"),
    ("setting", "Where are you now:"),
    ("difficulties", "What are you finding difficult at the moment?"),
])
def test_someone_referring_themself_is_asked_about_you(slot, first):
    assert first in question(slot, "chat", person=FIRST)
    assert "patient" not in question(slot, "chat", person=FIRST) and "their" not in question(slot, "chat", person=FIRST)


@pytest.mark.parametrize("slot,third", [
    ("patient_address", "What is the first line of the patient's address?"),
    ("lives_alone", "Does the patient live alone?"),
    ("consent", "Has the patient agreed to this referral?"),
    ("patient_nhs_number", "What is the patient's NHS number?"),
    ("supported_before", "supported this person before?"),
])
def test_everyone_else_is_asked_about_the_patient_as_before(slot, third):
    assert third in question(slot, "chat")
    assert question(slot, "chat") == question(slot, "chat", person=THIRD)


def test_the_telephone_asks_in_the_first_person_too():
    asked = question("client_date_of_birth", "voice", person=FIRST)
    assert asked.startswith("And when were you born?") and "press hash" in asked
    assert question("client_nhs_number", "voice", person=FIRST).startswith("What is your NHS number?")


def test_the_identifier_is_the_files_own_in_either_person(west_lothian):
    assert question("client_nhs_number", "chat", person=FIRST).startswith("What is your CHI number?")
    assert question("client_nhs_number", "chat").startswith("What is their CHI number?")


def test_every_question_reads_in_both_persons():
    for slot in QUESTIONS:
        for person in (FIRST, THIRD):
            assert "{" not in question(slot, "chat", person=person) + question(slot, "voice", person=person)


# --- Who the caller is to the person: asked first, unless they said it ----------------------------------------

@pytest.mark.parametrize("said,relationship", [
    ("I'd like to refer myself", "self"), ("it's for me, I was with you last year", "self"),
    ("I'm calling about my dad", "family"), ("I'm her carer", "carer"),
    ("can you help me please", None), ("member of the public", None),
])
def test_the_words_that_made_them_a_member_of_the_public_can_say_who_they_are(said, relationship):
    form = ValidatePublicForm()
    found = run(form.extract_caller_relationship(CollectingDispatcher(), tracker(said, slots={"caller_type": "public"}),
                                                 DOMAIN))
    assert found == ({"caller_relationship": relationship} if relationship else {})


def test_a_self_referral_asks_the_record_questions_in_the_first_person():
    dispatcher = CollectingDispatcher()
    opening = tracker("I want to refer myself", intent="i_am_public", active_loop="public_form",
                      slots={"caller_type": "public"})
    opening.events.insert(0, {"event": "bot", "text": "Are you a health or social care professional ...?"})
    events = run(ValidatePublicForm().run(dispatcher, opening, DOMAIN))
    assert SlotSet("caller_relationship", "self") in events and SlotSet("consent", "given") in events
    assert texts(dispatcher) == ["Has the Community Independence Service supported you before?"]
    assert events[-1] == SlotSet("requested_slot", "supported_before")


def test_someone_referring_themself_consents_by_doing_so():
    answer = ValidatePublicForm().validate_caller_relationship("it's me", CollectingDispatcher(), tracker("it's me"),
                                                               {})
    assert answer == {"caller_relationship": "self", "consent": "given", "best_interests": "not_applicable"}
    # ...and the patient form takes it as given when it starts: the question is never asked.
    kept = ValidatePatientForm().validate_consent("given", CollectingDispatcher(), tracker("yes", slots=SELF), {})
    assert kept == {"consent": "given", "best_interests": "not_applicable", "patient_outcome": "complete"}


def test_a_relative_is_still_asked_for_consent():
    answer = ValidatePublicForm().validate_caller_relationship("his daughter", CollectingDispatcher(),
                                                               tracker("his daughter"), {})
    assert answer == {"caller_relationship": "family"}


def test_the_callers_own_name_and_phone_are_the_patients_when_they_refer_themself():
    form, dispatcher = ValidatePublicForm(), CollectingDispatcher()
    assert form.validate_caller_name("Edith Clarke", dispatcher, tracker("Edith Clarke", slots=SELF), {}) == {
        "caller_name": "Edith Clarke", "patient_name": "Edith Clarke"}
    assert form.validate_caller_phone("07712 345678", dispatcher, tracker("07712 345678", slots=SELF), {}) == {
        "caller_phone": "+447712345678", "patient_phone": "+447712345678"}
    family = {"caller_relationship": "family"}
    assert form.validate_caller_name("June Nolan", dispatcher, tracker("June Nolan", slots=family), {}) == {
        "caller_name": "June Nolan"}


def test_the_patient_form_asks_someone_referring_themself_about_their_own_address():
    dispatcher = CollectingDispatcher()
    said = tracker("yes please", intent="affirm", active_loop="patient_form",
                   slots={**SELF, "patient_name": "Edith Clarke", "patient_date_of_birth": "1941-03-07",
                          "patient_nhs_number": "9434765919", "patient_phone": "+447712345678",
                          "consent": "given", "best_interests": "not_applicable"})
    said.events.insert(0, {"event": "bot", "text": "Shall I refer you?"})
    events = run(ValidatePatientForm().run(dispatcher, said, DOMAIN))
    assert texts(dispatcher) == ["What is the first line of your address?"]
    assert events[-1] == SlotSet("requested_slot", "patient_address")


def test_a_reask_and_a_refusal_speak_to_the_person_too():
    dispatcher = CollectingDispatcher()
    ValidatePatientForm().validate_lives_alone("purple", dispatcher, tracker("purple", slots=SELF), {})
    assert texts(dispatcher) == ["Sorry, do you live alone? Yes or no?"]
    assert "speak to your GP, who can refer you to us" in refusal_text(public=True, person=FIRST)


# --- A postcode outside the area: is that right? ------------------------------------------------------------

def at_postcode(said: str, slots: dict | None = None, requested: str = "patient_postcode", intent: str = "inform"):
    asked = tracker(said, intent=intent, active_loop="patient_form",
                    slots={"requested_slot": requested, "patient_name": "Edith Clarke",
                           "patient_date_of_birth": "1941-03-07", "patient_nhs_number": "9434765919",
                           "patient_address": "12 Porchester Square", **(slots or {})},
                    extracted={requested: said})
    asked.events.insert(0, {"event": "bot", "text": "And the full postcode?"})
    return asked


def test_a_postcode_outside_the_area_names_its_local_authority_and_asks_if_it_is_right(routing):
    dispatcher = CollectingDispatcher()
    events = run(ValidatePatientForm().run(dispatcher, at_postcode("NW1 2AA"), DOMAIN))
    assert texts(dispatcher) == ["NW1 2AA is in Camden, which is outside the area we cover (Kensington and Chelsea "
                                 "and Westminster). Is that the right postcode?"]
    assert SlotSet("patient_outcome", "out_of_area") in events
    assert events[-1] == SlotSet("requested_slot", "postcode_confirmed")


def outside(said: str, intent: str = "inform", **slots):
    return at_postcode(said, {"patient_postcode": "NW1 2AA", "routing": CAMDEN, "patient_outcome": "out_of_area",
                              **slots}, requested="postcode_confirmed", intent=intent)


def test_a_corrected_postcode_carries_on_with_everything_given(routing):
    dispatcher = CollectingDispatcher()
    events = run(ValidatePatientForm().run(dispatcher, outside("no sorry, it's W2 4RJ", intent="deny"), DOMAIN))
    assert SlotSet("patient_postcode", "W2 4RJ") in events and SlotSet("patient_outcome", None) in events
    assert texts(dispatcher) == ["What phone number can the team reach the patient on?"]
    assert events[-1] == SlotSet("requested_slot", "patient_phone")


def test_a_no_asks_for_the_right_postcode(routing):
    dispatcher = CollectingDispatcher()
    events = run(ValidatePatientForm().run(dispatcher, outside("no, that's wrong", intent="deny"), DOMAIN))
    assert SlotSet("patient_postcode", None) in events
    assert texts(dispatcher) == ["What is the right postcode?"]
    assert events[-1] == SlotSet("requested_slot", "patient_postcode")


def test_a_self_referral_corrected_back_into_the_area_keeps_its_consent(routing):
    events = run(ValidatePatientForm().run(
        CollectingDispatcher(), outside("W2 4RJ", consent="given", best_interests="not_applicable", **SELF), DOMAIN))
    assert SlotSet("patient_outcome", "complete") in events


def test_a_confirmed_postcode_outside_the_area_ends_the_patient_form(routing):
    dispatcher = CollectingDispatcher()
    events = run(ValidatePatientForm().run(dispatcher, outside("yes, that's right", intent="affirm"), DOMAIN))
    assert SlotSet("postcode_confirmed", "yes") in events
    assert events[-1] == SlotSet("requested_slot", None) and texts(dispatcher) == []


def test_an_unclear_answer_is_asked_again_with_the_postcode(routing):
    dispatcher = CollectingDispatcher()
    run(ValidatePatientForm().run(dispatcher, outside("hmm hang on"), DOMAIN))
    assert texts(dispatcher) == ["Sorry, is NW1 2AA the right postcode? If not, what is the right one?"]


def test_then_the_caller_is_told_which_council_to_turn_to_and_the_contact_is_counted(monkeypatch):
    recorded = []

    async def record_declined(*args):
        recorded.append(args)

    monkeypatch.setattr(intake_client, "record_declined", record_declined)
    dispatcher = CollectingDispatcher()
    confirmed = tracker("yes", intent="affirm", slots={"patient_postcode": "NW1 2AA", "routing": CAMDEN,
                                                        "service": "rapid_response"})
    run(ActionOutOfArea().run(dispatcher, confirmed, DOMAIN))
    said = texts(dispatcher)[0]
    assert "NW1 2AA is in Camden" in said and "please contact Camden's adult social care team" in said
    assert "the patient's GP" in said
    assert recorded == [("out_of_area", "chat", "test-conversation", "rapid_response", "NW1 2AA")]


def test_a_postcode_outside_the_area_given_at_the_read_back_names_its_authority_and_keeps_the_first(routing):
    dispatcher = CollectingDispatcher()
    kept = run(apply_correction("patient_postcode", "NW1 2AA", dispatcher,
                                at_postcode("NW1 2AA", {"patient_postcode": "W2 4RJ"}), DOMAIN))
    assert kept is None
    assert texts(dispatcher) == ["NW1 2AA is in Camden, which is outside the area we cover (Kensington and Chelsea "
                                 "and Westminster). So I've kept the one you gave before."]
