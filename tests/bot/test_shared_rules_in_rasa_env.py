"""The action server runs in Rasa's environment: the shared rules must work there, unchanged."""
import sys

from referral_rules import service_definition, validation


def test_validation_runs_in_the_rasa_environment_without_flask_or_sqlalchemy():
    # (which area a postcode is in is the intake API's to say: the postcode directory is not installed here)
    assert validation.postcode("sw1x 0bh") == "SW1X 0BH"
    assert validation.nhs_number("943 476 5919") == "9434765919"
    assert validation.uk_phone("020 7361 3013") == "+442073613013"
    assert service_definition.load().services_for("social_worker") == ["rehab_reablement"]
    assert "flask" not in sys.modules


def test_rasa_3_6_is_installed():
    import rasa

    assert rasa.__version__.startswith("3.6.")
