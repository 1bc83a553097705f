"""NLU cross-validation: every intent must reach F1 0.9 on examples the model did not train on.

Rasa's default five folds: each trains DIET on four fifths of data/nlu and tests it on the rest
(tests/bot/cross_validate.py: seeded, held-out folds only). `make test-nlu` also writes the per-intent table to
its section of docs/nlu-report.md (NLU_REPORT; tests/bot/nlu_report.py)."""
import json
import subprocess

import pytest

from .nlu_report import write_section
from .test_rasa_project import ROOT

BOT_PYTHON = str(ROOT / ".venv" / "bot" / "bin" / "python")

pytestmark = pytest.mark.nlu_cross_validation

FOLDS = "5"
F1_BAR = 0.9

CROSS_VALIDATE = str(ROOT / "tests" / "bot" / "cross_validate.py")


def test_every_intent_reaches_f1_0_9_in_cross_validation(tmp_path):
    result = subprocess.run([BOT_PYTHON, CROSS_VALIDATE, "--nlu", "data/nlu", "--config",
                             "config.yml", "--folds", FOLDS, "--out", str(tmp_path)],
                            cwd=ROOT, capture_output=True, text=True, timeout=3000)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    report = json.loads((tmp_path / "intent_report.json").read_text())
    intents = {name: scores for name, scores in report.items() if isinstance(scores, dict) and "f1-score" in scores
               and name not in ("micro avg", "macro avg", "weighted avg")}
    write_section("NLU cross-validation", [
        f"`rasa test nlu --cross-validation --folds {FOLDS}` on data/nlu with config.yml (made by `make nlu-report`).",
        "", "| intent | precision | recall | F1 | examples |", "| --- | --- | --- | --- | --- |",
        *(f"| {name} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1-score']:.3f} | {s['support']} |"
          for name, s in sorted(intents.items()))])
    below = {name: round(s["f1-score"], 3) for name, s in intents.items() if s["f1-score"] < F1_BAR}
    assert intents and not below, f"intents under F1 {F1_BAR}: {below}"
