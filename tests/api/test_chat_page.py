"""The web chat page is served by the intake API and talks to the Rasa server's REST channel."""


def test_chat_page_points_at_the_rasa_rest_channel(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "RASA_PUBLIC_URL", "https://rasa.example.nhs.uk/")
    response = client.get("/chat")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '"https://rasa.example.nhs.uk" + "/webhooks/rest/webhook"' in page
    assert "0300 033 0333" in page and "999" in page
    assert '<label for="message"' in page
