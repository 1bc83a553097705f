"""NLU cross-validation: every intent must reach F1 0.9 on examples the model did not train on.

Run by `make nlu-report` (with NLU_REPORT=docs/nlu-report.md, to write the per-intent table), not by
`make test`: three folds take 12-17 minutes on two cores, and the bar is not met yet (see
docs/nlu-report.md and the open issue)."""
import json
import os
from pathlib import Path

import pytest

from .test_rasa_project import ROOT, rasa

pytestmark = pytest.mark.nlu_cross_validation

FOLDS = "3"
F1_BAR = 0.9


def test_every_intent_reaches_f1_0_9_in_cross_validation(tmp_path):
    result = rasa("test", "nlu", "--nlu", "data/nlu", "--config", "config.yml", "--cross-validation",
                  "--folds", FOLDS, "--out", str(tmp_path), timeout=1800)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    report = json.loads((tmp_path / "intent_report.json").read_text())
    intents = {name: scores for name, scores in report.items() if isinstance(scores, dict) and "f1-score" in scores
               and name not in ("micro avg", "macro avg", "weighted avg")}
    if os.environ.get("NLU_REPORT"):
        lines = ["# NLU cross-validation", "", f"`rasa test nlu --cross-validation --folds {FOLDS}` on data/nlu "
                 "with config.yml (made by `make nlu-report`).", "", "| intent | precision | recall | F1 | examples |",
                 "| --- | --- | --- | --- | --- |"]
        lines += [f"| {name} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1-score']:.3f} | {s['support']} |"
                  for name, s in sorted(intents.items())]
        Path(ROOT, os.environ["NLU_REPORT"]).write_text("\n".join(lines) + "\n")
    below = {name: round(s["f1-score"], 3) for name, s in intents.items() if s["f1-score"] < F1_BAR}
    assert intents and not below, f"intents under F1 {F1_BAR}: {below}"
