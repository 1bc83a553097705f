"""The staff console: server-rendered pages to review, triage and export captured intakes."""
from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff", static_folder="static", static_url_path="/static")

from . import errors, filters, login, queue, referral  # noqa: E402,F401  (routes register on bp)
