"""POST /api/declined-contacts: a turned-away contact is counted, with no patient identifiers."""
from sqlalchemy import inspect, select

from intake_api.models import DeclinedContact


def test_a_refused_public_caller_leaves_only_reason_channel_time_and_borough(app, client, bot):
    response = client.post("/api/declined-contacts", headers=bot, json={
        "reason": "public_not_returning_client", "channel": "voice", "service": "rehab_reablement",
        "postcode": "sw1x 0bh", "conversation_id": "CA123"})
    assert response.status_code == 201
    db = app.extensions["cis"]["sessions"]()
    stored = db.scalars(select(DeclinedContact)).one()
    assert (stored.reason, stored.channel, stored.borough_code) == ("public_not_returning_client", "voice", "E09000020")
    columns = {c.key for c in inspect(DeclinedContact).columns}
    assert columns == {"id", "reason", "channel", "service", "borough_code", "conversation_id", "at"}


def test_an_unknown_reason_is_refused(client, bot):
    response = client.post("/api/declined-contacts", headers=bot, json={"reason": "rude", "channel": "chat"})
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_choice"
