"""The actions against recorded trackers: re-asks, 999 advice first, callers' own words (storing a referral:
test_submission.py)."""
import asyncio

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.patient import ValidatePatientForm

from .trackers import tracker

PATIENT_FORM_DOMAIN = {"forms": {"patient_form": {"required_slots": ["patient_name", "patient_nhs_number"]}},
                       "slots": {"patient_name": {"mappings": [{"type": "from_text", "conditions": [
                                     {"active_loop": "patient_form", "requested_slot": "patient_name"}]}]},
                                 "patient_nhs_number": {"mappings": [{"type": "from_text", "conditions": [
                                     {"active_loop": "patient_form", "requested_slot": "patient_nhs_number"}]}]}}}


def run(coro):
    return asyncio.run(coro)


def texts(dispatcher: CollectingDispatcher) -> list[str]:
    return [m["text"] for m in dispatcher.messages]


def test_an_nhs_number_that_fails_modulus_11_gets_a_specific_reask():
    dispatcher = CollectingDispatcher()
    result = ValidatePatientForm().validate_patient_nhs_number("943 476 5918", dispatcher,
                                                               tracker("943 476 5918"), {})
    assert result["patient_nhs_number"] is None
    assert texts(dispatcher) == ["That NHS number doesn't add up. Please check the 10 digits."]


def test_after_two_failures_an_optional_field_can_be_skipped():
    dispatcher = CollectingDispatcher()
    result = ValidatePatientForm().validate_patient_nhs_number(
        "12345", dispatcher, tracker("12345", slots={"failures": {"patient_nhs_number": 1}}), {})
    assert result["failures"] == {"patient_nhs_number": 2}
    assert "say \"don't know\"" in texts(dispatcher)[0]


def test_dont_know_is_recorded_as_unknown():
    result = ValidatePatientForm().validate_patient_nhs_number("not to hand", CollectingDispatcher(),
                                                               tracker("not to hand", intent="dont_know"), {})
    assert result == {"patient_nhs_number": "unknown"}


def test_an_emergency_mid_form_gets_999_advice_and_pauses_the_referral():
    dispatcher = CollectingDispatcher()
    said = tracker("he's collapsed and isn't breathing", intent="emergency", active_loop="patient_form",
                   slots={"requested_slot": "patient_name"},
                   extracted={"patient_name": "he's collapsed and isn't breathing"})
    events = run(ValidatePatientForm().run(dispatcher, said, PATIENT_FORM_DOMAIN))
    assert texts(dispatcher)[0].startswith("If someone is seriously ill or injured")
    assert "999" in texts(dispatcher)[0]
    assert "paused" in texts(dispatcher)[1] and not any(t.endswith("?") for t in texts(dispatcher))
    assert events == [SlotSet("patient_name", None), SlotSet("emergency_paused", True)]


def paused(text: str, intent: str, channel: str = "rest"):
    said = tracker(text, intent=intent, active_loop="patient_form", channel=channel,
                   slots={"requested_slot": "patient_name", "emergency_paused": True}, extracted={"patient_name": text})
    said.events.insert(0, {"event": "bot", "text": "I've paused the referral."})
    return said


def test_while_paused_an_answer_is_not_taken_and_nothing_is_asked():
    dispatcher = CollectingDispatcher()
    events = run(ValidatePatientForm().run(dispatcher, paused("Edith Clarke", "inform"), PATIENT_FORM_DOMAIN))
    assert events == [SlotSet("patient_name", None)]
    assert texts(dispatcher) == ["The referral is paused. Say \"carry on\" when you're ready, or \"stop\" to end it."]


def test_carry_on_resumes_with_the_question_that_was_waiting():
    dispatcher = CollectingDispatcher()
    events = run(ValidatePatientForm().run(dispatcher, paused("ok carry on", "carry_on"), PATIENT_FORM_DOMAIN))
    assert SlotSet("emergency_paused", None) in events and events[-1] == SlotSet("requested_slot", "patient_name")
    assert texts(dispatcher) == ["What is the patient's full name?"]


def test_on_the_phone_yes_ends_the_call_so_they_can_dial_999():
    dispatcher = CollectingDispatcher()
    run(ValidatePatientForm().run(dispatcher, paused("yes", "affirm", channel="voice"), PATIENT_FORM_DOMAIN))
    assert "call 999 now" in texts(dispatcher)[0]
    assert {"voice": "hang_up"} in [m.get("custom") for m in dispatcher.messages]


def test_a_good_answer_is_kept_and_the_next_question_asked_in_the_same_step():
    dispatcher = CollectingDispatcher()
    said = tracker("Edith Clarke", active_loop="patient_form", slots={"requested_slot": "patient_name"},
                   extracted={"patient_name": "Edith Clarke"})
    said.events.insert(0, {"event": "bot", "text": "What is the patient's full name?"})
    events = run(ValidatePatientForm().run(dispatcher, said, PATIENT_FORM_DOMAIN))
    assert SlotSet("patient_name", "Edith Clarke") in events
    assert events[-1] == SlotSet("requested_slot", "patient_nhs_number")
    assert texts(dispatcher) == ["What is the patient's NHS number? If you don't have it, say you don't know."]


@pytest.mark.parametrize("confidence, kept", [(0.95, False), (0.57, True)])
def test_carry_on_with_nothing_paused_is_no_answer_only_when_the_classifier_is_sure(confidence, kept):
    dispatcher = CollectingDispatcher()
    said = tracker("Edith Clarke", intent="carry_on", confidence=confidence, active_loop="patient_form",
                   slots={"requested_slot": "patient_name"}, extracted={"patient_name": "Edith Clarke"})
    events = run(ValidatePatientForm().run(dispatcher, said, PATIENT_FORM_DOMAIN))
    assert (SlotSet("patient_name", "Edith Clarke") in events) is kept
    asked = "What is the patient's NHS number?" if kept else "What is the patient's full name?"
    assert texts(dispatcher)[-1].startswith(asked)


CALLER_FORM_DOMAIN = {"forms": {"caller_form": {"required_slots": ["caller_type"]}},
                      "slots": {"caller_type": {"mappings": [{"type": "custom"}]}}}


def first_reply(monkeypatch, at: str) -> list[str]:
    from actions.caller import ValidateCallerForm

    monkeypatch.setenv("CIS_NOW", at)
    dispatcher = CollectingDispatcher()
    run(ValidateCallerForm().run(dispatcher, tracker("hello", intent="greet", active_loop="caller_form"),
                                 CALLER_FORM_DOMAIN))
    return texts(dispatcher)


def test_out_of_hours_the_greeting_says_when_the_team_picks_up_and_where_urgent_need_goes(monkeypatch):
    said = " ".join(first_reply(monkeypatch, "2026-11-24T22:30:00+00:00"))
    assert "from 08:00" in said and "NHS 111" in said and "999" in said


def test_in_hours_the_greeting_has_no_closed_notice(monkeypatch):
    said = first_reply(monkeypatch, "2026-11-24T10:30:00+00:00")
    assert said[0].startswith("Hello, this is the")
    assert "NHS 111" not in " ".join(said)
    assert "health or social care professional" in said[-1]


@pytest.mark.parametrize("said,intent,confidence,caller", [
    ("I'm a district nurse", "i_am_professional", 0.95, "professional"),
    ("I'm not a nurse or anything, it's my mum", "inform", 0.4, "public"),
    ("GP here", "greet", 0.3, "professional"),
    ("calling about my husband", "i_am_public", 0.9, "public"),
    ("hello", "greet", 0.99, None),
])
def test_who_is_calling(said, intent, confidence, caller):
    from actions.decision import caller_type_in

    assert caller_type_in(tracker(said, intent=intent, confidence=confidence)) == caller


def test_questions_that_do_not_apply_are_marked_so_an_interruption_never_asks_them():
    from actions.clinical import ValidateClinicalForm

    at_home = ValidateClinicalForm().validate_setting("at home", CollectingDispatcher(), tracker("at home"), {})
    assert at_home == {"setting": "home", "expected_discharge_date": "not_applicable"}
    on_ward = ValidateClinicalForm().validate_setting("on the ward", CollectingDispatcher(), tracker("on the ward"), {})
    assert on_ward == {"setting": "hospital", "expected_discharge_date": None}
    consent = ValidatePatientForm().validate_consent("yes", CollectingDispatcher(), tracker("yes", intent="affirm"), {})
    assert consent["best_interests"] == "not_applicable"


@pytest.mark.parametrize("slot,said,expected", [("patient_phone", "020 7946 0321", "+442079460321"),
                                                ("lives_alone", "no", False), ("urgency", "routine", "routine")])
def test_a_correction_is_checked_by_the_same_rule_as_the_first_answer(slot, said, expected):
    from actions.summary import apply_correction

    changed = run(apply_correction(slot, said, CollectingDispatcher(), tracker(said), {}))
    assert changed[slot] == expected


@pytest.mark.parametrize("said,intent,expected", [
    ("she lacks capacity", "inform", {"consent": "no", "best_interests": None}),
    ("no, he doesn't have capacity to agree", "deny", {"consent": "no", "best_interests": None}),
    ("she has dementia so can't consent", "inform", {"consent": "no", "best_interests": None}),
    ("he's unable to agree to it", "inform", {"consent": "no", "best_interests": None}),
    ("yes, best interests decision made by me", "affirm",
     {"consent": "best_interests", "best_interests": True, "patient_outcome": "complete"}),
    ("yes she's happy for me to refer", "affirm",
     {"consent": "given", "best_interests": "not_applicable", "patient_outcome": "complete"}),
])
def test_consent_answers_that_speak_of_capacity_or_best_interests(said, intent, expected):
    result = ValidatePatientForm().validate_consent(said, CollectingDispatcher(), tracker(said, intent=intent), {})
    assert result == expected


def test_a_registration_number_given_for_the_role_is_kept_and_names_the_role_when_only_one_fits():
    from actions.authentication import ValidateProfessionalForm

    form, dispatcher = ValidateProfessionalForm(), CollectingDispatcher()
    nurse = form.validate_profession("NMC 12A3456E", dispatcher, tracker("NMC 12A3456E"), {})
    assert nurse == {"profession": "nurse", "registration_number": "NMC 12A3456E"}
    doctor = form.validate_profession("gmc 7123456", dispatcher, tracker("gmc 7123456"), {})
    assert doctor["profession"] is None and doctor["registration_number"] == "GMC 7123456"
    assert texts(dispatcher) == ["Thank you, I have your GMC 7123456. And are you a GP or hospital doctor?"]


def test_a_role_said_in_the_plural_is_recognised():
    from actions.authentication import ValidateProfessionalForm

    said = "I'm one of the district nurses in Pimlico"
    assert ValidateProfessionalForm().validate_profession(said, CollectingDispatcher(), tracker(said), {}) == {
        "profession": "nurse"}


def test_first_words_nobody_planned_for_start_the_referral_instead_of_sorry():
    from actions.interruptions import ActionDefaultFallback

    dispatcher = CollectingDispatcher()
    events = run(ActionDefaultFallback().run(dispatcher, tracker("I'm a physio", intent="choose_service",
                                                                 confidence=0.4), {}))
    assert events == [{"event": "followup", "name": "caller_form", "timestamp": None}]
    assert dispatcher.messages == []  # the first question does the talking


def test_not_understood_part_way_through_says_sorry_and_forgets_the_words():
    from actions.interruptions import ActionDefaultFallback

    dispatcher = CollectingDispatcher()
    events = run(ActionDefaultFallback().run(dispatcher, tracker("purple", slots={"caller_type": "professional"}),
                                             {}))
    assert [e["event"] for e in events] == ["rewind"]
    assert "didn't understand" in texts(dispatcher)[0]


def test_a_relative_without_the_nhs_number_is_told_where_to_find_it_before_being_turned_away():
    from actions.public_callers import ValidatePublicForm

    form, dispatcher = ValidatePublicForm(), CollectingDispatcher()
    first = form.validate_client_nhs_number("no idea", dispatcher, tracker("no idea", intent="dont_know"), {})
    assert first["client_nhs_number"] is None and "public_outcome" not in first
    assert "letter from the NHS or their GP" in texts(dispatcher)[0]
    again = form.validate_client_nhs_number("can't find it", dispatcher,
                                            tracker("can't find it", intent="dont_know",
                                                    slots={"failures": first["failures"]}), {})
    assert again == {"client_nhs_number": "unknown", "public_outcome": "refused"}


@pytest.mark.parametrize("said,intent", [
    ("she was with you last year i think", "deny"), ("I think so", "deny"), ("you saw her after her fall", "inform"),
    ("she's been seen by your team before", "deny"), ("yes", "affirm")])
def test_a_relative_who_says_the_cis_has_seen_the_person_goes_on_to_the_record_check(said, intent):
    from actions.public_callers import ValidatePublicForm

    answer = ValidatePublicForm().validate_supported_before(said, CollectingDispatcher(),
                                                            tracker(said, intent=intent), {})
    assert answer == {"supported_before": "yes"}


def test_a_relative_who_is_not_sure_is_checked_against_the_records_not_turned_away():
    from actions.public_callers import ValidatePublicForm

    dispatcher = CollectingDispatcher()
    answer = ValidatePublicForm().validate_supported_before("not sure", dispatcher,
                                                            tracker("not sure", intent="dont_know"), {})
    assert answer == {"supported_before": "not sure"}
    assert "look for their record" in texts(dispatcher)[0]


@pytest.mark.parametrize("said", ["no", "no she hasn't", "never", "I don't think so"])
def test_a_plain_no_turns_the_relative_away(said):
    from actions.public_callers import ValidatePublicForm

    answer = ValidatePublicForm().validate_supported_before(said, CollectingDispatcher(),
                                                            tracker(said, intent="deny"), {})
    assert answer == {"supported_before": "no", "public_outcome": "refused"}


def test_a_reask_that_is_a_question_is_not_followed_by_the_same_question_again():
    domain = {"forms": {"patient_form": {"required_slots": ["lives_alone"]}}, "slots": {}}
    dispatcher = CollectingDispatcher()
    said = tracker("purple", active_loop="patient_form", slots={"requested_slot": "lives_alone"},
                   extracted={"lives_alone": "purple"})
    said.events.insert(0, {"event": "bot", "text": "Does the patient live alone?"})
    events = run(ValidatePatientForm().run(dispatcher, said, domain))
    assert texts(dispatcher) == ["Sorry, does the patient live alone? Yes or no?"]
    assert events[-1] == SlotSet("requested_slot", "lives_alone")


@pytest.mark.parametrize("said", ["send it", "looks good, send it", "perfect, submit it"])
def test_send_it_at_the_read_back_is_an_answer_not_a_stop(said):
    from actions.interruptions import ActionStop

    dispatcher = CollectingDispatcher()
    at_read_back = tracker(said, intent="stop", active_loop="confirm_form", slots={"requested_slot": "confirmed"})
    events = run(ActionStop().run(dispatcher, at_read_back, {}))
    assert events == [SlotSet("confirmed", True), {"event": "followup", "timestamp": None, "name": "confirm_form"}]
    assert texts(dispatcher) == []


@pytest.mark.parametrize("said", ["cancel it", "don't send it", "forget it, I'll ring back"])
def test_a_stop_in_so_many_words_is_checked_once(said):
    from actions.interruptions import ActionStop

    dispatcher = CollectingDispatcher()
    at_read_back = tracker(said, intent="stop", active_loop="confirm_form", slots={"requested_slot": "confirmed"})
    events = run(ActionStop().run(dispatcher, at_read_back, {}))
    assert SlotSet("stop_requested", True) in events
    assert "Do you want to stop this referral?" in texts(dispatcher)[0]


@pytest.mark.parametrize("said,intent,confirmed", [
    ("looks good, send it", "stop", True), ("all good thanks", "thank_you", True), ("yes", "affirm", True),
    ("great thanks", "thank_you", True),
    ("don't send it yet", "stop", None), ("it doesn't look right", "deny", None)])
def test_the_read_back_is_confirmed_in_the_callers_own_words(said, intent, confirmed):
    from actions.summary import ValidateConfirmForm

    result = run(ValidateConfirmForm().validate_confirmed(said, CollectingDispatcher(), tracker(said, intent=intent),
                                                          {}))
    assert result.get("confirmed") is confirmed


@pytest.mark.parametrize("said,details", [
    ("district nurse, NMC 12A3456E", {"profession": "nurse", "registration_number": "NMC 12A3456E"}),
    ("social worker SW123456", {"profession": "social_worker", "registration_number": "SWE SW123456"}),
    ("I'm a GP", {"profession": "gp"}),
    ("GP, my number is 123", {"profession": "gp"}),  # not a GMC number: asked for in its turn
    ("physio, NMC 12A3456E", {"profession": "physiotherapist"})])  # not the physio's body: not kept
def test_a_professionals_first_words_are_not_asked_for_again(said, details):
    from actions.caller import ValidateCallerForm

    result = ValidateCallerForm().validate_caller_type("professional", CollectingDispatcher(), tracker(said), {})
    assert result == {"caller_type": "professional", **details}


def test_a_practice_nurse_is_a_nurse_not_a_gp():
    from actions.caller import ValidateCallerForm

    said = "I'm a practice nurse"
    result = ValidateCallerForm().validate_caller_type("professional", CollectingDispatcher(), tracker(said), {})
    assert result["profession"] == "nurse"


def test_at_the_first_question_a_stop_is_never_taken_for_who_is_calling():
    from actions.interruptions import ActionStop

    dispatcher = CollectingDispatcher()
    first = tracker("send it", intent="stop", active_loop="caller_form", slots={"requested_slot": "caller_type"})
    events = run(ActionStop().run(dispatcher, first, {}))
    assert "OK, I've stopped" in texts(dispatcher)[0]
    assert {"event": "reset_slots", "timestamp": None} in events


def conversation_so_far(*said: str, now: str, intent: str = "inform"):
    """A GP's tracker whose earlier messages are ``said`` and whose latest is ``now``."""
    gp = tracker(now, intent=intent, slots={"caller_type": "professional",
                                            "referrer": {"kind": "health_professional"}})
    gp.events[:0] = [{"event": "user", "text": text, "parse_data": {"intent": {"name": "inform"}}} for text in said]
    return gp


def test_a_service_named_in_the_first_words_is_offered_back_not_asked_from_scratch():
    from actions.service_choice import ValidateServiceForm

    dispatcher = CollectingDispatcher()
    gp = conversation_so_far("I'm a GP, I'd like to refer a lady to Rapid Response", "7123456", now="482913")
    ValidateServiceForm().ask_service(dispatcher, gp)
    assert texts(dispatcher)[0].startswith("You mentioned Rapid Response")
    yes = conversation_so_far("I'm a GP, I'd like to refer a lady to Rapid Response", "7123456", "482913",
                              now="yes", intent="affirm")
    assert ValidateServiceForm().validate_service("yes", CollectingDispatcher(), yes, {}) == {
        "service": "rapid_response"}


def test_without_a_service_named_by_name_the_choice_is_asked_and_yes_is_not_an_answer():
    from actions.service_choice import ValidateServiceForm

    dispatcher = CollectingDispatcher()
    gp = conversation_so_far("I'm a physio", now="482913")  # "physio" is no choice of service
    ValidateServiceForm().ask_service(dispatcher, gp)
    assert texts(dispatcher)[0].startswith("Which service is the referral for")
    result = ValidateServiceForm().validate_service("yes", CollectingDispatcher(),
                                                    conversation_so_far("I'm a physio", now="yes", intent="affirm"), {})
    assert result["service"] is None


@pytest.mark.parametrize("said, setting", [("she went home from the ward last week", "home"),
                                           ("he was discharged home yesterday", "home"),
                                           ("she's due home on friday", "hospital"),
                                           ("on the ward at St Mary's", "hospital")])
def test_where_the_patient_is_now_reads_plain_answers(said, setting):
    from actions.clinical import ValidateClinicalForm

    result = ValidateClinicalForm().validate_setting(said, CollectingDispatcher(), tracker(said), {})
    assert result["setting"] == setting
