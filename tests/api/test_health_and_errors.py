"""Liveness, and that every error is JSON with a code and a message."""


def test_healthz_says_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "service": "CIS"}


def test_unknown_path_is_a_json_404(client):
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"
    assert response.get_json()["message"]


def test_wrong_method_is_a_json_405(client, bot):
    response = client.delete("/api/routing", headers=bot)
    assert response.status_code == 405
    assert response.get_json()["error"] == "method_not_allowed"


def test_bot_endpoints_refuse_a_missing_or_wrong_service_token(client):
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}):
        response = client.get("/api/routing?postcode=W2 4RJ", headers=headers)
        assert response.status_code == 401
        assert response.get_json()["error"] == "unauthorised"


def test_malformed_json_is_a_400_naming_the_problem(client, bot):
    response = client.post("/api/clients/lookup", data="{not json", headers={**bot, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.get_json()["error"] == "malformed_json"
    response = client.post("/api/clients/lookup", json=["a", "list"], headers=bot)
    assert response.status_code == 400
