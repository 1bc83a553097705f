"""The trained assistant (models/cis.tar.gz) on two labelled sets it never trained on, reported by `make nlu-report`:

- tests/nlu_emergency/messages.yml: does the caller get the 999 advice? Decided as the assistant decides it
  (actions/safety.py's ``emergency_in`` on the model's reading): at least 98% of emergencies, and at most two
  false alarms among the messages that are not.
- tests/nlu_holdout/utterances.yml: the model's intent against the label, over every intent; the accuracy, each
  intent's share and every misread go in the report.

Both need the model (`make model`); make test-bot leaves them to make test-nlu (marker nlu_sets)."""
import asyncio
import logging
import re
from collections import Counter

import pytest
import yaml

from actions.safety import emergency_in

from .nlu_report import write_section
from .test_rasa_project import ROOT

MODEL = ROOT / "models" / "cis.tar.gz"
EMERGENCY_SET = yaml.safe_load((ROOT / "tests" / "nlu_emergency" / "messages.yml").read_text())
HOLDOUT = {intent: [str(text) for text in texts]
           for intent, texts in yaml.safe_load((ROOT / "tests" / "nlu_holdout" / "utterances.yml").read_text()).items()}

RECALL_BAR = 0.98
FALSE_ALARMS_ALLOWED = 2
HOLDOUT_BAR = 0.9


def normalised(text: str) -> str:
    """"I'm a doctor." and a recogniser's "im a doctor" are the same example."""
    return " ".join(re.sub(r"[^\w\s]", " ", re.sub(r"['\u2019]", "", text.lower())).split())


def trained_on() -> set[str]:
    """Every example of data/nlu, normalised, with entity annotations ("[x](y)") read as their words."""
    texts = set()
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for item in yaml.safe_load(path.read_text()).get("nlu") or []:
            if "intent" in item:
                texts.update(normalised(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line.strip()[2:]))
                             for line in item["examples"].splitlines() if line.strip().startswith("- "))
    return texts


def every_text() -> list[str]:
    return [*EMERGENCY_SET["emergency"], *EMERGENCY_SET["not_emergency"], *(t for ts in HOLDOUT.values() for t in ts)]


def test_the_sets_are_large_enough_and_never_trained_on():
    assert len(EMERGENCY_SET["emergency"]) >= 70 and len(EMERGENCY_SET["not_emergency"]) >= 70
    assert sum(map(len, HOLDOUT.values())) >= 300
    trained = trained_on()
    assert not [text for text in every_text() if normalised(text) in trained]


@pytest.fixture(scope="module")
def readings() -> dict[str, dict]:
    """The model's reading of every message of both sets, parsed once."""
    assert MODEL.exists(), "no trained model: make model"
    from rasa.core.agent import Agent  # (here: the check above needs neither Rasa nor TensorFlow)
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # not a debug line for each of the 500 messages

    async def parse_all() -> dict[str, dict]:
        agent = Agent.load(str(MODEL))
        return {text: await agent.parse_message(text) for text in dict.fromkeys(every_text())}

    return asyncio.run(parse_all())


def intent_of(reading: dict) -> tuple[str, float]:
    intent = reading.get("intent") or {}
    return intent.get("name") or "", float(intent.get("confidence") or 0)


def advised(reading: dict) -> bool:
    return emergency_in(reading["text"], *intent_of(reading))


def listed(lines: list[str]) -> list[str]:
    return [f"- {line}" for line in lines] or ["- none"]


def read_as(reading: dict) -> str:
    name, confidence = intent_of(reading)
    return f"{name} {confidence:.2f}"


@pytest.mark.nlu_sets
def test_emergencies_get_the_999_advice_and_other_messages_do_not(readings):
    missed = [text for text in EMERGENCY_SET["emergency"] if not advised(readings[text])]
    false_alarms = [text for text in EMERGENCY_SET["not_emergency"] if advised(readings[text])]
    total = len(EMERGENCY_SET["emergency"])
    recall = (total - len(missed)) / total
    write_section("Emergency set", [
        f"tests/nlu_emergency/messages.yml: {total} emergencies, {len(EMERGENCY_SET['not_emergency'])} messages that "
        "are not; the 999 advice decided by actions/safety.py on the model's reading (made by `make nlu-report`).", "",
        f"- recall of emergencies: **{recall:.3f}** (bar {RECALL_BAR}); missed: {len(missed)}",
        f"- false alarms: **{len(false_alarms)}** (at most {FALSE_ALARMS_ALLOWED})", "",
        "Missed (read as, confidence):", *listed([f'"{text}" ({read_as(readings[text])})' for text in missed]), "",
        "False alarms:", *listed([f'"{text}" ({read_as(readings[text])})' for text in false_alarms])])
    assert recall >= RECALL_BAR, f"missed emergencies: {missed}"
    assert len(false_alarms) <= FALSE_ALARMS_ALLOWED, f"false alarms: {false_alarms}"


@pytest.mark.nlu_sets
def test_the_hold_out_set_is_read_as_labelled(readings):
    misreads = [(text, label) for label, texts in HOLDOUT.items() for text in texts
                if intent_of(readings[text])[0] != label]
    total = sum(map(len, HOLDOUT.values()))
    accuracy = 1 - len(misreads) / total
    wrong = Counter(label for _, label in misreads)
    write_section("Hold-out set", [
        f"tests/nlu_holdout/utterances.yml: {total} utterances never trained on, read by the trained model "
        "(made by `make nlu-report`).", "",
        f"Intent accuracy: **{accuracy:.3f}** (bar {HOLDOUT_BAR}).", "",
        "| intent | utterances | read as labelled | accuracy |", "| --- | --- | --- | --- |",
        *(f"| {label} | {len(texts)} | {len(texts) - wrong[label]} | {1 - wrong[label] / len(texts):.3f} |"
          for label, texts in sorted(HOLDOUT.items())), "",
        "Misreads (labelled → read as, confidence):",
        *listed([f'"{text}": {label} → {read_as(readings[text])}' for text, label in misreads])])
    assert accuracy >= HOLDOUT_BAR, f"{len(misreads)} misreads of {total}"


def test_the_question_selector_places_questions_and_leaves_other_messages_alone(readings):
    """bot/question_selector.py: every message of the two sets read as a question gets a topic of the
    questions' domain responses, and no other message carries the selector's output (it did not run on it)."""
    from actions.answers import topic_of

    class Latest:
        def __init__(self, reading):
            self.latest_message = reading

    read_as_question = [r for r in readings.values() if intent_of(r)[0] == "question"]
    others = [r for r in readings.values() if intent_of(r)[0] != "question"]
    assert len(read_as_question) >= 20 and others
    topics = {topic_of(Latest(r)) for r in read_as_question}
    assert None not in topics and all(topic.startswith("question/") for topic in topics)
    assert not [r["text"] for r in others if r.get("response_selector")]
