"""The action server: rasa_sdk's executor behind a server that trusts only the Rasa server.

Run with ``python -m actions.server --port 5055`` (``make run`` does). Unlike ``rasa run actions``:

- it listens on ACTION_SERVER_HOST, 127.0.0.1 unless set (a scaled-out set-up names its private address);
- every request but ``GET /health`` must carry ``Authorization: Bearer $ACTION_SERVER_TOKEN``, which Rasa
  sends (endpoints.yml); with no token set, every request is refused; there is no CORS, so no web page can
  call it;
- an action that raises is answered with an apology for the caller, and the log names the exception's type
  only: rasa_sdk would log the request and send it back in its 500 body (the whole tracker: PIN, NHS number,
  date of birth, address), and Rasa would log that body;
- it delivers the outbox in the background (actions/outbox.py).
"""
from __future__ import annotations

import argparse
import hmac
import logging
import os

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa_sdk import utils
from rasa_sdk.executor import ActionExecutor
from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 4 * 1024 * 1024  # a long conversation's tracker, with room to spare
SORRY = "Sorry, something went wrong on our side. Please say that again."


def authorised(request: Request, token: str) -> bool:
    presented = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(presented.encode(), f"Bearer {token}".encode())


def create_app(token: str, package: str = "actions") -> Sanic:
    app = Sanic("referral_line_action_server", configure_logging=False)
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES
    executor = ActionExecutor()
    executor.register_package(package)

    @app.on_request
    async def only_rasa(request: Request):
        if request.path != "/health" and not authorised(request, token):
            return response.json({"error": "unauthorised", "message": "The action server answers Rasa only."},
                                 status=401)

    @app.get("/health")
    async def health(_request: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    @app.post("/webhook")
    async def webhook(request: Request) -> HTTPResponse:
        action_call = request.json if isinstance(request.json, dict) else None
        if action_call is None:
            return response.json({"error": "The body must be a JSON object."}, status=400)
        name = action_call.get("next_action")
        try:
            return response.json(await executor.run(action_call), status=200)
        except ActionExecutionRejection as exc:
            return response.json({"error": exc.message, "action_name": exc.action_name}, status=400)
        except ActionNotFoundException as exc:
            return response.json({"error": exc.message, "action_name": exc.action_name}, status=404)
        except Exception as exc:  # noqa: BLE001 - the caller gets an answer; the log gets no values
            log.error("action %s raised %s", name, type(exc).__name__)
            return response.json({"events": [], "responses": [{"text": SORRY}]}, status=200)

    @app.exception(Exception)
    async def unexpected(_request: Request, exc: Exception) -> HTTPResponse:
        log.error("action server request failed: %s", type(exc).__name__)
        status = getattr(exc, "status_code", 500)
        return response.json({"error": type(exc).__name__}, status=status if 400 <= status < 600 else 500)

    @app.after_server_start
    async def deliver_outbox(app_: Sanic, _loop) -> None:
        from .outbox import deliver_forever

        app_.add_task(deliver_forever())

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description="The referral line's action server.")
    parser.add_argument("--port", type=int, default=5055)
    parser.add_argument("--actions", default="actions")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    token = os.environ.get("ACTION_SERVER_TOKEN", "")
    if not token:
        log.warning("ACTION_SERVER_TOKEN is not set: every request will be refused")
    host = os.environ.get("ACTION_SERVER_HOST") or "127.0.0.1"
    app = create_app(token, args.actions)
    log.info("action server on http://%s:%s", host, args.port)
    app.run(host=host, port=args.port, workers=utils.number_of_sanic_workers(), access_log=False)


if __name__ == "__main__":
    main()
