"""actions/safety.py: who gets the 999 advice, in the order its docstring sets out. (The trained model's part is
measured on a labelled set by tests/bot/test_nlu_sets.py.)"""
import pytest

from actions.decision import CONFIDENCE
from actions.safety import emergency_in


@pytest.mark.parametrize("said", [
    "he's collapsed and isn't breathing",
    "hes collapsed in the garden i cant get him up",
    "she took an overdose about an hour ago",  # recent is now
    "had a fall last week and now she's not breathing",  # the sign is in a clause of its own
    "he had a fall last week and is bleeding heavily now",
    "please call an ambulance",
    "oh no he’s not breathing",
    "no no she's collapsed",
    "his breathing has stopped",
    "she's swallowed about twenty of her sleeping tablets",
    "he took a whole packet of paracetamol this morning",
    "she's on the bridge and says she'll jump",
    "he is up on the multi storey threatening to jump off",
])
def test_a_sign_said_as_now_gets_the_advice_whatever_the_classifier_read(said):
    assert emergency_in(said, "inform", 0.95)


@pytest.mark.parametrize("said", [
    "she collapsed last week and was admitted",
    "found unconscious on saturday and kept in for three days",
    "chest pain in march, cardiology said it was muscular",
    "she's not unconscious, just very sleepy",
    "no chest pain",
    "denies any suicidal thoughts",
    "he gets chest pains walking uphill",
    "took a bottle of pills in 2019, well since",
    "threatened to jump off a bridge in 2018, well since",
])
def test_signs_in_the_past_or_ruled_out_are_not_an_emergency_whatever_the_classifier_read(said):
    assert not emergency_in(said, "emergency", 1.0)


@pytest.mark.parametrize("said", [
    "took twenty minutes to get to the door",
    "she takes her tablets from a dosette box",
    "she's taken all her medication today",  # her usual doses, not an overdose
    "he took 2 paracetamol for his knee",
    "he's taken all his tablets as prescribed",
    "can you get her to jump the queue",
])
def test_words_near_a_sign_are_no_sign(said):
    assert not emergency_in(said, "inform", 0.95)


def test_a_sign_in_the_past_leaves_the_rest_of_the_message_to_the_classifier_when_something_is_said_as_now():
    said = "she collapsed last week, now she's gone grey and sweaty"
    assert emergency_in(said, "emergency", 0.9)
    assert not emergency_in(said, "inform", 0.9)


def test_a_message_that_says_it_is_not_an_emergency_is_not_one():
    assert not emergency_in("it's not an emergency but she's struggling at home", "emergency", 0.95)
    assert emergency_in("not an emergency exactly but he's stopped breathing", "inform", 0.5)


def test_the_classifier_decides_at_its_one_threshold():
    assert emergency_in("her lips are swelling up", "emergency", CONFIDENCE["emergency"])
    assert not emergency_in("her lips are swelling up", "emergency", CONFIDENCE["emergency"] - 0.01)
    assert not emergency_in("her lips are swelling up", "inform", 0.99)


@pytest.mark.parametrize("said, emergency", [
    ("call 999 please, it's my mum", True),          # the file's emergency number, asked for
    ("he's gone down and isnt moving", True),
    ("she won't respond to me", True),
    ("he isn't moving around much these days", False),  # a difficulty, not an emergency
    ("she won't respond to letters", False),
])
def test_not_responding_not_moving_and_asking_for_the_emergency_number(said, emergency):
    assert emergency_in(said, "inform", 1.0) is emergency
