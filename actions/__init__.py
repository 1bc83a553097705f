"""Custom actions for the CIS referral line (run by `rasa run actions` from the repository root).

One module per concern; every form's validation shares ``form_base.ReferralFormValidation`` and the
rules in ``intake_api.validation``.
"""
