"""A second service is data only: nothing particular to a service is written in the Python.

Every name, area, phone number and hospital of every file under data/services/ is looked for in the code of
the running parts (actions/, bot/, intake_api/, referral_rules/). Tests and the benchmark harness, which drive
one particular line on purpose, are not looked in.
"""
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CODE = [p for part in ("actions", "bot", "intake_api", "referral_rules") for p in (ROOT / part).rglob("*.py")]
SERVICE_FILES = sorted((ROOT / "data" / "services").glob("*.yml"))


def _phrases(raw: dict) -> set[str]:
    """What would tie code to this service: its names, areas, phones and hospitals."""
    line = raw["service"]
    found = {line["name"], line["referral_line"]}
    found |= {s["name"] for s in raw["services"].values()}
    found |= {a["name"] for a in raw.get("area", raw.get("boroughs", []))}
    found |= {a["code"] for a in raw.get("area", raw.get("boroughs", []))}
    found |= {h for h in raw.get("local_hospitals", []) if len(h) > 4}
    return {p for p in found if p}


def _phones(raw) -> set[str]:
    """Every phone number in the file, as its digits (a number written in code in any spacing is found)."""
    text = yaml.safe_dump(raw)
    return {re.sub(r"\D", "", m) for m in re.findall(r"\b0\d{2,4}[ \d]{6,10}\d\b", text)}


@pytest.mark.parametrize("service_file", SERVICE_FILES, ids=lambda p: p.name)
def test_no_name_area_phone_or_hospital_of_a_service_is_written_in_code(service_file):
    raw = yaml.safe_load(service_file.read_text())
    phrases, phones = _phrases(raw), _phones(raw)
    short_name = re.compile(rf"\b{re.escape(raw['service']['short_name'])}\b(?!_)")  # not CIS_NOW, CIS_ENV
    found = []
    for path in CODE:
        text = path.read_text(encoding="utf-8")
        lowered = text.lower()
        digits = re.sub(r"[ \-]", "", text)
        found += [f"{path.relative_to(ROOT)}: {p!r}" for p in phrases if p.lower() in lowered]
        found += [f"{path.relative_to(ROOT)}: phone {p}" for p in phones if p in digits]
        found += [f"{path.relative_to(ROOT)}: {m.group(0)!r}" for m in short_name.finditer(text)]
    assert not found, "service words in code:\n" + "\n".join(sorted(set(found)))


def test_there_are_two_service_files_to_check():
    assert {p.name for p in SERVICE_FILES} >= {"cis.yml", "west-lothian.yml"}
