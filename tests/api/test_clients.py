"""POST /api/clients/lookup: is this person a returning CIS client?"""
import pytest


def lookup(client, bot, nhs_number="9434765919", date_of_birth="1941-03-07"):
    return client.post("/api/clients/lookup", headers=bot, json={
        "nhs_number": nhs_number, "date_of_birth": date_of_birth, "conversation_id": "conv-relative"})


def test_a_past_cis_client_is_returning(client, bot, demo):
    response = lookup(client, bot, nhs_number="943 476 5919")
    assert response.status_code == 200
    found = response.get_json()
    assert found["returning_client"] is True
    assert found["last_episode"] == {"service": "rehab_reablement", "ended": "2025-09-30"}
    assert len(found["verification"]["token"]) >= 40 and found["verification"]["expires_at"] == "2026-11-24T12:00:00Z"


def test_a_wrong_date_of_birth_or_unknown_person_is_not(client, bot, demo):
    assert lookup(client, bot, date_of_birth="1941-03-08").get_json() == {"returning_client": False}
    assert lookup(client, bot, nhs_number="4505577104").get_json() == {"returning_client": False}


def test_an_episode_added_on_the_cli_makes_a_returning_client(client, bot, cli):
    assert lookup(client, bot, nhs_number="4505577104", date_of_birth="1950-01-01").get_json()["returning_client"] is False
    cli("client", "add-episode", "--nhs-number", "4505577104", "--dob", "1950-01-01", "--given-name", "Ruth",
        "--family-name", "Ade", "--service", "rehab_reablement", "--ended", "2026-01-31")
    assert lookup(client, bot, nhs_number="4505577104", date_of_birth="1950-01-01").get_json()["returning_client"] is True


@pytest.mark.parametrize("nhs_number,date_of_birth,code", [
    ("9434765918", "1941-03-07", "invalid_nhs_number"),
    ("94347659", "1941-03-07", "invalid_nhs_number"),
    ("9434765919", "07/03/1941", "invalid_date_of_birth"),
    ("9434765919", "2030-01-01", "invalid_date_of_birth"),
])
def test_bad_identifiers_are_a_422_with_a_reason(client, bot, nhs_number, date_of_birth, code):
    response = lookup(client, bot, nhs_number, date_of_birth)
    assert response.status_code == 422
    assert response.get_json()["error"] == code


def test_wrong_types_are_a_400(client, bot):
    response = client.post("/api/clients/lookup", headers=bot, json={
        "nhs_number": 9434765919, "date_of_birth": "1941-03-07", "conversation_id": "conv-relative"})
    assert response.status_code == 400
    assert response.get_json()["error"] == "wrong_type"
