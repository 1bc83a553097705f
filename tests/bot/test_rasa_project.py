"""The Rasa project as a whole: clean data, and conversation tests against the trained model."""
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RASA = str(ROOT / ".venv" / "bot" / "bin" / "rasa")


def rasa(*args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run([RASA, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def test_training_data_validates_without_warnings():
    result = rasa("data", "validate", "--fail-on-warnings")
    report = result.stdout + result.stderr
    assert result.returncode == 0, report[-4000:]
    assert "is not used in any story or rule" not in report
    assert "conflict" not in report.lower() or "No story structure conflicts found" in report


def test_conversation_stories_predict_every_turn(tmp_path):
    result = rasa("test", "core", "--model", "models/cis.tar.gz", "--stories", "tests/stories",
                  "--fail-on-prediction-errors", "--out", str(tmp_path))
    report = result.stdout + result.stderr
    failed = tmp_path / "failed_test_stories.yml"
    assert result.returncode == 0, (failed.read_text() if failed.exists() else "") + report[-3000:]
