"""GET /api/routing: full postcode -> borough and adult social care contacts, from the ONS data."""
import pytest

KC_CONTACTS = [{"name": "Adult Social Care", "phone": "020 7361 3013"},
               {"name": "Information and Advice Team", "phone": "020 7361 2968"}]
WESTMINSTER_CONTACTS = [{"name": "Adult Social Care", "phone": "020 7641 2500"}]


@pytest.mark.parametrize("asked,postcode,code,name,contacts", [
    # SW1X straddles the boundary: the district alone cannot say which borough.
    ("sw1x0bh", "SW1X 0BH", "E09000020", "Kensington and Chelsea", KC_CONTACTS),
    ("SW1X 7LY", "SW1X 7LY", "E09000033", "Westminster", WESTMINSTER_CONTACTS),
    # So does W11.
    ("W11 3LP", "W11 3LP", "E09000020", "Kensington and Chelsea", KC_CONTACTS),
    ("w11 1aa", "W11 1AA", "E09000033", "Westminster", WESTMINSTER_CONTACTS),
])
def test_straddling_districts_route_on_the_full_postcode(client, bot, asked, postcode, code, name, contacts):
    response = client.get("/api/routing", query_string={"postcode": asked}, headers=bot)
    assert response.status_code == 200
    assert response.get_json() == {"postcode": postcode, "borough": {"code": code, "name": name},
                                   "council": {"code": code, "name": name}, "in_area": True, "contacts": contacts}


def test_out_of_area_postcode_is_named_and_has_no_cis_contacts(client, bot):
    response = client.get("/api/routing?postcode=NW1 2DB", headers=bot)  # the British Library, Camden
    assert response.status_code == 200
    body = response.get_json()
    assert body["in_area"] is False
    assert body["borough"] == {"code": "E09000007", "name": "Camden"}
    assert body["council"] == {"code": "E09000007", "name": "Camden"}
    assert body["contacts"] == []


@pytest.mark.parametrize("postcode,district,council", [
    ("GU1 4RR", "Guildford", {"code": "E10000030", "name": "Surrey"}),    # two tiers: the county runs social care
    ("CF10 1EP", "Cardiff", {"code": "W06000015", "name": "Cardiff"}),     # Wales
    ("M1 1AE", "Manchester", {"code": "E08000003", "name": "Manchester"}),
    ("EH54 6FF", "West Lothian", {"code": "S12000040", "name": "West Lothian"}),  # Scotland: the shipped file
    ("CA3 8QG", "Cumberland", {"code": "E06000063", "name": "Cumberland"}),      # a unitary council of 2023
])
def test_a_postcode_elsewhere_names_its_district_and_the_council_for_social_care(client, bot, postcode, district,
                                                                                   council):
    body = client.get("/api/routing", query_string={"postcode": postcode}, headers=bot).get_json()
    assert body["in_area"] is False
    assert body["borough"]["name"] == district
    assert body["council"] == council


def test_a_district_the_ons_lookup_does_not_name_is_given_by_code_alone(client, bot):
    body = client.get("/api/routing?postcode=BT1 5GS", headers=bot).get_json()  # Belfast: in neither list
    assert body["in_area"] is False
    assert body["borough"] == {"code": "N09000003", "name": None}
    assert body["council"] == {"code": "N09000003", "name": None}


@pytest.mark.parametrize("query,status,code", [
    ("", 400, "missing_field"), ("?postcode=W2", 422, "invalid_postcode"), ("?postcode=hello", 422, "invalid_postcode"),
    ("?postcode=W2 9ZZ", 422, "unknown_postcode"),
])
def test_bad_postcodes_get_a_clear_4xx(client, bot, query, status, code):
    response = client.get("/api/routing" + query, headers=bot)
    assert response.status_code == status
    assert response.get_json()["error"] == code
    assert response.get_json()["message"]
