"""Custom actions for the referral line of the service that SERVICE_DEFINITION names (run by `rasa run actions`
from the repository root).

One module per concern; every form's validation shares ``form_base.ReferralFormValidation`` and the
rules in ``referral_rules.validation``.
"""
