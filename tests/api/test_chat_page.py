"""The web chat page is served by the intake API and talks to the Rasa server's REST channel."""


def test_chat_page_points_at_the_rasa_rest_channel(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "RASA_PUBLIC_URL", "https://rasa.example.nhs.uk/")
    response = client.get("/chat")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '"https://rasa.example.nhs.uk" + "/webhooks/rest/webhook"' in page
    assert "0300 033 0333" in page and "999" in page
    assert '<label class="nhsuk-label" for="message"' in page
    assert '/static/nhsuk/nhsuk.css' in page and 'https://' not in page.replace("https://rasa.example.nhs.uk", "")


def test_the_nhsuk_styles_are_served_from_the_app_itself(client):
    """Built by make static: no CDN at run time (the stylesheet's images are the app's own, and no web font)."""
    css = client.get("/static/nhsuk/nhsuk.css")
    assert css.status_code == 200 and ".nhsuk-header" in css.get_data(as_text=True)
    assert "assets.nhs.uk" not in css.get_data(as_text=True)
    assert client.get("/static/nhsuk/assets/images/nhsuk-icon-arrow-down.svg").status_code == 200
