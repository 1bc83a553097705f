"""The application factory: configuration, case store, blueprints, CLI."""
from __future__ import annotations

import logging
import time

from flask import Flask, g, jsonify, request

from referral_rules import postcodes, service_definition

from . import config, errors, production
from .db import make_engine, make_sessionmaker
from .limits import limiter
from .store import close_session


def build_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(config.INSTANCE_DIR))
    app.config.update(config.from_environment())
    app.config.update(overrides or {})
    logging.getLogger("intake_api").setLevel(logging.INFO)
    _access_log(app)

    definition = service_definition.load(app.config["SERVICE_DEFINITION"])
    engine = make_engine(app.config["DATABASE_URL"])
    try:
        production.check(app, engine)
    except RuntimeError:
        engine.dispose()
        raise
    app.extensions["cis"] = {"service": definition, "engine": engine, "sessions": make_sessionmaker(engine)}
    app.teardown_appcontext(close_session)
    errors.register(app)
    limiter.init_app(app)

    from .api import bp as api_bp
    from .chat import bp as chat_bp
    from .cli import register as register_cli
    from .staff import bp as staff_bp
    from .voice import bp as voice_bp

    app.register_blueprint(api_bp)
    app.register_blueprint(chat_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(voice_bp)
    register_cli(app)

    @app.get("/healthz")
    def healthz():
        return jsonify({"status": "ok", "service": definition.short_name})

    if app.config.get("WARM_POSTCODES", True):
        # The area's postcodes' first letters (the file's postcode_areas), so the first caller does not wait.
        postcodes.warm("".join(dict.fromkeys(area[0] for area in definition.postcode_areas)))
    return app


def _access_log(app: Flask) -> None:
    """One line a request: method, path (never the query string or body), status, time taken."""
    log = logging.getLogger("intake_api.access")

    @app.before_request
    def _start():
        g.started = time.perf_counter()

    @app.after_request
    def _log(response):
        elapsed_ms = (time.perf_counter() - g.pop("started", time.perf_counter())) * 1000
        log.info("%s %s %s %.0fms", request.method, request.path, response.status_code, elapsed_ms)
        return response

