"""docs/nlu-report.md (NLU_REPORT) is made of sections, one per measurement, each headed "# <title>". A test
replaces its own section and keeps the others, so the cross-validation and the labelled sets can be run
together (`make nlu-report`) or alone, in either order."""
import os
import re
from pathlib import Path

from .test_rasa_project import ROOT

# The order the sections appear in, whichever test writes first.
ORDER = ("NLU cross-validation", "Emergency set", "Hold-out set")


def write_section(title: str, lines: list[str]) -> None:
    if not os.environ.get("NLU_REPORT"):
        return
    path = Path(ROOT, os.environ["NLU_REPORT"])
    text = path.read_text() if path.exists() else ""
    sections = {part.splitlines()[0][2:]: part.rstrip("\n")
                for part in re.split(r"^(?=# )", text, flags=re.MULTILINE) if part.startswith("# ")}
    sections[title] = "\n".join([f"# {title}", "", *lines]).rstrip("\n")
    ordered = sorted(sections, key=lambda name: ORDER.index(name) if name in ORDER else len(ORDER))
    path.write_text("\n\n".join(sections[name] for name in ordered) + "\n")
