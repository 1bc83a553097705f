"""`rasa test nlu --cross-validation`, seeded, and measured on the held-out folds only.

Run as `python tests/bot/cross_validate.py <rasa test nlu arguments>` with the bot's Python.

- Rasa shuffles examples into folds with numpy's global generator and no seed of its own: seeded here, the
  folds (and so the figures) are the same from run to run.
- After training each fold, Rasa's cross_validate also parses every one of that fold's training examples to
  report a training accuracy. Nothing here reads it, and on two cores it cost about a sixth of the run, so
  that pass is skipped: the held-out folds, the only figures reported, are evaluated exactly as before.
"""
import sys

import numpy

numpy.random.seed(2026)  # before rasa is imported, as `rasa` itself would start

import rasa.nlu.test  # noqa: E402
from rasa.__main__ import main  # noqa: E402

_combine_result = rasa.nlu.test.combine_result


async def held_out_folds_only(intent_metrics, entity_metrics, response_selection_metrics, processor, data,
                              intent_results=None, entity_results=None, response_selection_results=None):
    """combine_result, except for the training-accuracy pass (the one call that collects no results)."""
    if intent_results is None:
        return intent_metrics, entity_metrics, response_selection_metrics
    return await _combine_result(intent_metrics, entity_metrics, response_selection_metrics, processor, data,
                                 intent_results, entity_results, response_selection_results)


if __name__ == "__main__":
    rasa.nlu.test.combine_result = held_out_folds_only
    sys.argv = ["rasa", "test", "nlu", "--cross-validation", *sys.argv[1:]]
    main()
