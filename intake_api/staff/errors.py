"""Errors on console pages are pages too (the JSON API keeps its JSON errors)."""
from flask import render_template

from ..errors import ApiError
from . import bp


@bp.errorhandler(ApiError)
def _error_page(exc: ApiError):
    return render_template("staff/error.html", status=exc.status, message=exc.message), exc.status
