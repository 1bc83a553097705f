"""The staff console: server-rendered pages to review, triage and export captured intakes."""
from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from . import callbacks, completion, errors, figures, filters, login, queue, referral, search  # noqa: E402,F401  (routes register on bp)
