"""CIS referral line intake API.

The package import stays free of Flask and SQLAlchemy so that the action server (Rasa's
environment) can import the pure modules: ``validation``, ``postcodes``, ``service_definition``
and ``clock``.
"""


def create_app(config=None):
    """Flask application factory (``flask --app intake_api ...`` finds it here)."""
    from .app import build_app

    return build_app(config)
