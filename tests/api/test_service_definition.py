"""The service definition is data, checked at start-up; a broken file names the bad field."""
from datetime import datetime, timezone

import pytest
import yaml

from intake_api import create_app, service_definition
from intake_api.service_definition import DEFAULT_PATH, ServiceDefinitionError


def test_the_cis_definition_loads_with_the_seed_rules():
    cis = service_definition.load()
    assert cis.services_for("health_professional") == ["rapid_response", "rehab_reablement"]
    assert cis.services_for("social_worker") == ["rehab_reablement"]
    assert cis.services_for("returning_client") == ["rehab_reablement"]
    assert cis.borough("E09000020").name == "Kensington and Chelsea"
    assert [c.phone for c in cis.borough("E09000033").adult_social_care] == ["020 7641 2500"]
    assert cis.lockout_attempts == 3 and cis.lockout_minutes == 15


@pytest.mark.parametrize("utc,open_", [
    ("2026-11-24T07:59:00", False), ("2026-11-24T08:00:00", True), ("2026-11-24T19:59:00", True),
    ("2026-11-24T20:00:00", False), ("2026-07-01T07:30:00", True),  # 08:30 BST
    ("2026-07-01T19:30:00", False),  # 20:30 BST
])
def test_opening_hours_are_london_time(utc, open_):
    moment = datetime.fromisoformat(utc).replace(tzinfo=timezone.utc)
    assert service_definition.load().is_open(moment) is open_


def _broken(tmp_path, edit):
    raw = yaml.safe_load(DEFAULT_PATH.read_text())
    edit(raw)
    path = tmp_path / "service.yml"
    path.write_text(yaml.safe_dump(raw))
    return path


@pytest.mark.parametrize("edit,named", [
    (lambda r: r["boroughs"][0].update(code="Kensington"), "boroughs[0].code"),
    (lambda r: r["boroughs"][1]["adult_social_care"][0].update(phone="12"), "boroughs[1].adult_social_care[0].phone"),
    (lambda r: r["opening_hours"].update(opens="8am"), "opening_hours.opens"),
    (lambda r: r.update(timezone="Europe/Londres"), "timezone"),
    (lambda r: r["services"]["rapid_response"].update(referrers=["anyone"]), "services.rapid_response.referrers"),
    (lambda r: r["professions"]["nurse"].update(registration_bodies=["BMA"]), "professions.nurse.registration_bodies"),
    (lambda r: r.pop("referrer_lockout"), "referrer_lockout"),
])
def test_a_broken_definition_names_the_bad_field(tmp_path, edit, named):
    with pytest.raises(ServiceDefinitionError) as caught:
        service_definition.load(_broken(tmp_path, edit))
    assert f": {named}:" in str(caught.value)


def test_start_up_stops_on_a_broken_definition(tmp_path):
    path = _broken(tmp_path, lambda r: r["opening_hours"].update(closes="07:00"))
    with pytest.raises(ServiceDefinitionError, match="opening_hours.closes: must be later than opens"):
        create_app({"SERVICE_DEFINITION": str(path), "DATABASE_URL": "sqlite://", "WARM_POSTCODES": False})


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(ServiceDefinitionError, match="nope.yml: cannot be read"):
        service_definition.load(tmp_path / "nope.yml")
