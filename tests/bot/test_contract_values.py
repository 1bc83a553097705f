"""The bot's words for each answer lead to exactly the values the referral contract allows."""
from referral_rules import contract

from actions import clinical, public_callers


def test_the_words_for_each_choice_name_every_allowed_value_and_no_other():
    assert set(clinical.SETTINGS) == set(contract.SETTINGS)
    assert set(clinical.URGENCY) == set(contract.URGENCY)
    assert set(public_callers.RELATIONSHIPS) == set(contract.RELATIONSHIPS)
