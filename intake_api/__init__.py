"""The referral line's intake API.

The rules it shares with the action server (service definition, validation, postcodes, clock) are in
``referral_rules``, beside this package.
"""


def create_app(config=None):
    """Flask application factory (``flask --app intake_api ...`` finds it here)."""
    from .app import build_app

    return build_app(config)
