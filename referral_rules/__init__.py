"""The referral line's own rules, shared by the action server (Rasa's environment) and the intake API.

Neither Flask nor Rasa is imported here: the service definition (which service, where, when, who may refer),
validation of each answer, postcodes to local authorities, and the clock.
"""
