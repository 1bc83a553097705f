"""What the bot's unit tests share."""
from pathlib import Path

import pytest

from referral_rules.service_definition import load_cached

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def west_lothian(monkeypatch):
    """The actions as they run with SERVICE_DEFINITION=data/services/west-lothian.yml (for these unit tests,
    in place of tests/conftest.py's running stack of the same name)."""
    monkeypatch.setenv("SERVICE_DEFINITION", str(ROOT / "data" / "services" / "west-lothian.yml"))
    load_cached.cache_clear()
    yield
    monkeypatch.delenv("SERVICE_DEFINITION")
    load_cached.cache_clear()
