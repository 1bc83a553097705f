"""The JSON API: bot-facing endpoints (service token) and staff endpoints (staff token)."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")

from . import clients, declined, fhir, referrals, referrers, routing  # noqa: E402,F401  (routes register on bp)
