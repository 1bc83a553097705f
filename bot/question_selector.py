"""Rasa's ResponseSelector, run only on the messages it is for (config.yml names it).

The selector picks which of the callers' questions was asked (the retrieval intent `question`,
data/nlu/questions.yml), and only action_answer_question reads its choice. Rasa runs it on every message
all the same: a second neural network on every turn, about a seventh of the Rasa server's CPU time (a
py-spy profile of whole referrals: docs/benchmarks-notes.md). Here it runs only when the intent classifier,
earlier in the pipeline, read the message as that retrieval intent; its training and choices are Rasa's own.
"""
from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class QuestionSelector(ResponseSelector):
    def process(self, messages: List[Message]) -> List[Message]:
        if not self.retrieval_intent:
            return super().process(messages)
        asked = [m for m in messages if (m.get(INTENT) or {}).get(INTENT_NAME_KEY) == self.retrieval_intent]
        if asked:
            super().process(asked)
        return messages
