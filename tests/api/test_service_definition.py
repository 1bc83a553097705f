"""The service definition is data, checked at start-up; a broken file names the bad field. Two files, one line:
Kensington and Chelsea and Westminster's CIS (the default) and West Lothian's Reablement and 24/7 Crisis Care."""
from datetime import date, datetime, timezone

import pytest
import yaml

from intake_api import create_app
from intake_api.migrate import upgrade

from referral_rules import service_definition
from referral_rules.service_definition import DEFAULT_PATH, ServiceDefinitionError

WEST_LOTHIAN = DEFAULT_PATH.parent / "west-lothian.yml"
TOKEN = "test-service-token"


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


def _broken(tmp_path, edit, source=DEFAULT_PATH):
    raw = yaml.safe_load(source.read_text())
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


def test_the_cis_file_says_what_the_code_used_to():
    cis = service_definition.load()
    assert not cis.always_open and cis.transfer_phone is None  # SPR_STAFF_NUMBER, or the line's number
    assert cis.area_name == "Kensington and Chelsea and Westminster"
    assert (cis.patient_identifier.scheme, cis.patient_identifier.name) == ("nhs_number", "NHS number")
    assert cis.public.may_refer is True
    assert cis.services["rapid_response"].mention == ("rapid response",)
    assert "re ablement" in cis.services["rehab_reablement"].spoken_as
    assert cis.local_hospitals == ("st mary s", "st marys", "charing cross", "chelsea and westminster")
    assert {a[0] for a in cis.postcode_areas} == set("WSN")  # the letters warmed at start-up, as before
    assert cis.registration_bodies["SWE"].name == "Social Work England"
    assert cis.registration_systems["GMC"] == "https://fhir.hl7.org.uk/Id/gmc-number"
    assert len(cis.demo.referrers) == 8 and [c.identifier for c in cis.demo.clients] == ["9434765919", "4010232137"]


def test_the_west_lothian_file_loads_with_the_seeds_rules():
    wl = service_definition.load(WEST_LOTHIAN)
    assert list(wl.boroughs) == ["S12000040"] and wl.area_name == "West Lothian"
    assert wl.services_for("health_professional") == ["reablement", "crisis_care"]
    assert wl.services_for("social_worker") == wl.services_for("returning_client") == ["reablement"]
    assert wl.services["crisis_care"].name == "24/7 Crisis Care" and "24 7" in wl.services["crisis_care"].spoken_as
    assert (wl.always_open, wl.opens, wl.closes) == (True, None, None)
    assert wl.patient_identifier.name == "CHI number"
    assert wl.professions["social_worker"].registration_bodies == ("SSSC",)
    assert "SWE" not in wl.registration_bodies
    assert all(c.phone is None for c in wl.borough("S12000040").adult_social_care)
    assert wl.demo.clients[0].date_of_birth == date(1938, 5, 12)


@pytest.mark.parametrize("utc", ["2026-11-24T03:00:00", "2026-07-01T02:00:00", "2026-12-25T23:59:00"])
def test_a_24_7_service_is_always_open(utc):
    moment = datetime.fromisoformat(utc).replace(tzinfo=timezone.utc)
    assert service_definition.load(WEST_LOTHIAN).is_open(moment) is True


def test_a_contact_may_have_no_phone_and_a_borough_no_contacts(tmp_path):
    def edit(raw):
        raw["boroughs"][0]["adult_social_care"] = [{"name": "Adult Social Care"}]
        del raw["boroughs"][1]["adult_social_care"]
    cis = service_definition.load(_broken(tmp_path, edit))
    assert cis.borough("E09000020").adult_social_care[0].as_dict() == {"name": "Adult Social Care", "phone": None}
    assert cis.borough("E09000033").adult_social_care == ()


def test_what_a_file_leaves_out_has_a_default(tmp_path):
    def edit(raw):
        for key in ("local_hospitals", "postcode_areas", "demo"):
            raw.pop(key)
        raw["services"]["rapid_response"].pop("mention")
    cis = service_definition.load(_broken(tmp_path, edit))
    assert cis.transfer_phone is None and cis.local_hospitals == () and cis.postcode_areas == ()
    assert cis.services["rapid_response"].mention == ("rapid response",)  # its name
    assert cis.demo.referrers == () and cis.demo.staff_email is None


def _client(field, value):
    return lambda r: r["demo"]["clients"][0].update({field: value})


@pytest.mark.parametrize("source,edit,named", [
    (DEFAULT_PATH, lambda r: r["service"].update(transfer_phone="999 999"), "service.transfer_phone"),
    (DEFAULT_PATH, lambda r: r.update(opening_hours="24 hours"), "opening_hours"),
    (DEFAULT_PATH, lambda r: r["patient_identifier"].update(scheme="passport"), "patient_identifier.scheme"),
    (DEFAULT_PATH, lambda r: r["patient_identifier"].update(fhir_system="nhs-number"),
     "patient_identifier.fhir_system"),
    (DEFAULT_PATH, lambda r: r.pop("patient_identifier"), "patient_identifier"),
    (DEFAULT_PATH, lambda r: r["public"].update(may_refer="yes"), "public.may_refer"),
    (DEFAULT_PATH, lambda r: r["public"].update(may_refer=False), "services.rehab_reablement.referrers"),
    (DEFAULT_PATH, lambda r: r["services"]["rapid_response"].update(spoken_as="rapid"),
     "services.rapid_response.spoken_as"),
    (DEFAULT_PATH, lambda r: r["services"]["rehab_reablement"]["spoken_as"].append("quick"),
     "services.rehab_reablement.spoken_as"),  # already chooses rapid_response
    (DEFAULT_PATH, lambda r: r["services"]["rapid_response"].update(mention=[""]), "services.rapid_response.mention"),
    (DEFAULT_PATH, lambda r: r["registration_bodies"].update(BMA={"name": "x", "fhir_system": "https://x"}),
     "registration_bodies.BMA"),
    (DEFAULT_PATH, lambda r: r["registration_bodies"]["GMC"].pop("name"), "registration_bodies.GMC.name"),
    (DEFAULT_PATH, lambda r: r["registration_bodies"]["GMC"].update(fhir_system="gmc"),
     "registration_bodies.GMC.fhir_system"),
    (DEFAULT_PATH, lambda r: r["professions"]["social_worker"].update(registration_bodies=["SSSC"]),
     "professions.social_worker.registration_bodies"),  # a body the file does not list
    (DEFAULT_PATH, lambda r: r.update(local_hospitals="st marys"), "local_hospitals"),
    (DEFAULT_PATH, lambda r: r.update(postcode_areas=["W1"]), "postcode_areas"),
    (DEFAULT_PATH, lambda r: r["boroughs"][0].update(adult_social_care="none"), "boroughs[0].adult_social_care"),
    (DEFAULT_PATH, lambda r: r["boroughs"][0]["adult_social_care"][0].pop("name"),
     "boroughs[0].adult_social_care[0].name"),
    (DEFAULT_PATH, lambda r: r["boroughs"][1].update(code="E09000020"), "boroughs[1].code"),
    (DEFAULT_PATH, lambda r: r["fhir"].update(registration_identifier_systems={}),
     "fhir.registration_identifier_systems"),
    (DEFAULT_PATH, lambda r: r.update(opening_hour={}), "opening_hour"),
    (DEFAULT_PATH, lambda r: r["demo"].update(staff_email="staff"), "demo.staff_email"),
    (DEFAULT_PATH, lambda r: r["demo"]["referrers"][0].update(registration_number="123"),
     "demo.referrers[0].registration_number"),
    (DEFAULT_PATH, lambda r: r["demo"]["referrers"][0].update(registration_body="NMC"),
     "demo.referrers[0].registration_body"),
    (DEFAULT_PATH, lambda r: r["demo"]["referrers"][0].update(profession="surgeon"), "demo.referrers[0].profession"),
    (DEFAULT_PATH, lambda r: r["demo"]["referrers"][0].update(phone="12"), "demo.referrers[0].phone"),
    (DEFAULT_PATH, _client("identifier", "9434765918"), "demo.clients[0].identifier"),
    (DEFAULT_PATH, _client("date_of_birth", "1941-02-30"), "demo.clients[0].date_of_birth"),
    (DEFAULT_PATH, _client("service", "crisis_care"), "demo.clients[0].service"),
    (DEFAULT_PATH, _client("episode_ended", "last year"), "demo.clients[0].episode_ended"),
    (DEFAULT_PATH, lambda r: r["demo"].update(clients={}), "demo.clients"),
    (WEST_LOTHIAN, _client("identifier", "9434765919"), "demo.clients[0].identifier"),  # not a CHI number
    (WEST_LOTHIAN, _client("date_of_birth", date(1938, 5, 13)), "demo.clients[0].date_of_birth"),  # not its CHI's
    (WEST_LOTHIAN, lambda r: r["demo"]["referrers"][5].update(registration_body="SWE"),
     "demo.referrers[5].registration_body"),
])
def test_a_broken_new_field_is_named(tmp_path, source, edit, named):
    with pytest.raises(ServiceDefinitionError) as caught:
        service_definition.load(_broken(tmp_path, edit, source))
    assert f": {named}:" in str(caught.value)


# --- Each file runs the line for its own area -------------------------------------------------------------------

def _line(path, tmp_path):
    url = f"sqlite:///{tmp_path / 'line.sqlite3'}"
    upgrade(url)
    return create_app({"SERVICE_DEFINITION": str(path), "DATABASE_URL": url, "INTAKE_SERVICE_TOKEN": TOKEN,
                       "TESTING": True, "WARM_POSTCODES": False})


def _routing(client, postcode):
    response = client.get("/api/routing", query_string={"postcode": postcode},
                          headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    return response.get_json()


@pytest.mark.parametrize("path,ours,theirs", [
    (DEFAULT_PATH, ("W11 1AB", "E09000020", "Kensington and Chelsea"), ("EH54 6FF", "S12000040")),
    (WEST_LOTHIAN, ("EH54 6FF", "S12000040", "West Lothian"), ("W11 1AB", "E09000020")),
])
def test_each_file_routes_its_own_area_and_not_the_others(tmp_path, path, ours, theirs):
    client = _line(path, tmp_path).test_client()
    inside, outside = _routing(client, ours[0]), _routing(client, theirs[0])
    assert inside["in_area"] is True and inside["borough"] == {"code": ours[1], "name": ours[2]}
    assert outside["in_area"] is False and outside["borough"]["code"] == theirs[1] and outside["contacts"] == []


def test_west_lothian_contacts_come_without_a_phone(tmp_path):
    routed = _routing(_line(WEST_LOTHIAN, tmp_path).test_client(), "eh546ff")
    assert routed["contacts"] == [{"name": "West Lothian Council Social Policy", "phone": None}]


def test_the_west_lothian_demo_verifies_an_sssc_social_worker_and_finds_a_chi_returning_client(tmp_path, monkeypatch):
    monkeypatch.setenv("CIS_NOW", "2026-11-24T03:00:00+00:00")
    app = _line(WEST_LOTHIAN, tmp_path)
    loaded = app.test_cli_runner().invoke(args=["demo", "load"])
    assert loaded.exit_code == 0, loaded.output
    assert "SSSC 1234567" in loaded.output and "CHI number 1205382623, born 1938-05-12" in loaded.output
    client, bot = app.test_client(), {"Authorization": f"Bearer {TOKEN}"}
    verified = client.post("/api/referrers/verify", headers=bot, json={
        "conversation_id": "chat-wl", "registration_body": "sssc", "registration_number": "1234567", "pin": "482913"})
    assert verified.status_code == 200, verified.get_json()
    assert verified.get_json()["referrer"]["services"] == ["reablement"]
    swe = client.post("/api/referrers/verify", headers=bot, json={
        "conversation_id": "chat-wl", "registration_body": "SWE", "registration_number": "SW123456", "pin": "482913"})
    assert swe.status_code == 422 and swe.get_json()["field"] == "registration_body"  # not a body this file lists
    found = client.post("/api/clients/lookup", headers=bot, json={
        "conversation_id": "chat-wl2", "nhs_number": "120 538 2623", "date_of_birth": "1938-05-12"})
    assert found.get_json()["returning_client"] is True
    english = client.post("/api/clients/lookup", headers=bot, json={
        "conversation_id": "chat-wl3", "nhs_number": "9434765919", "date_of_birth": "1941-03-07"})
    assert english.status_code == 422 and "CHI number" in english.get_json()["message"]


def test_a_file_without_demo_data_says_so_through_the_cli(tmp_path):
    path = _broken(tmp_path, lambda r: r.pop("demo"))
    result = _line(path, tmp_path).test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code != 0 and "no demo: section" in result.output
