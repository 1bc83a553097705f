"""JSON errors: ``{"error": code, "message": text}`` for every 4xx, and never a bare 500 page."""
from __future__ import annotations

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from referral_rules.validation import Invalid

log = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, **extra):
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


def error_response(status: int, code: str, message: str, **extra):
    response = jsonify({"error": code, "message": message, **extra})
    response.status_code = status
    return response


def register(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        return error_response(exc.status, exc.code, exc.message, **exc.extra)

    @app.errorhandler(Invalid)
    def _invalid(exc: Invalid):
        return error_response(422, exc.code, exc.message, field=exc.field)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        code = (exc.name or "error").lower().replace(" ", "_").replace("'", "")
        return error_response(exc.code or 500, code, exc.description or exc.name)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        # The type only: an exception's text can carry values from the request.
        log.error("unhandled %s", type(exc).__name__, exc_info=False)
        return error_response(500, "internal_error", "Something went wrong on our side; nothing was changed.")
