"""The voice gateway served over real HTTP on a free port, for the call simulator's tests (no assistant:
RASA_PUBLIC_URL points at a closed port, so only the menu and what needs no assistant answer)."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import make_server

from intake_api import create_app

TOKEN = "simulator-token"


@contextmanager
def served(db_dir: Path, **config):
    """The gateway's base URL while the block runs; ``config`` overrides the app's settings."""
    app = create_app({"DATABASE_URL": f"sqlite:///{db_dir / 'db.sqlite3'}", "TWILIO_AUTH_TOKEN": TOKEN,
                      "RASA_PUBLIC_URL": "http://127.0.0.1:9", "WARM_POSTCODES": False, **config})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_BASE_URL"] = base
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield base
    finally:
        server.shutdown()
