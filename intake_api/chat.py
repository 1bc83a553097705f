"""The web chat page: a plain page that talks to the Rasa server's REST channel."""
from flask import Blueprint, current_app, render_template

from .store import service

bp = Blueprint("chat", __name__)


@bp.get("/chat")
def chat_page():
    rasa_url = current_app.config.get("RASA_PUBLIC_URL") or "http://127.0.0.1:5005"
    return render_template("chat.html", rasa_url=rasa_url.rstrip("/"),
                           service=service())
