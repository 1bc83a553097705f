"""A referral as the action server posts it, checked field by field and against the service rules.

Returns the column values for ``models.Referral``; everything derived (borough, routing, out of
hours, the professional's details) is worked out here from the case store and the service
definition, never taken on trust from the caller.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from . import body, validation, verifications
from .errors import ApiError
from .lookups import find_referrer
from .service_definition import ServiceDefinition
from .validation import MAX_LENGTH

CHANNELS = ("chat", "voice")
REFERRER_KINDS = ("professional", "returning_client")
RELATIONSHIPS = ("self", "family", "carer", "friend")
CONSENT = ("given", "best_interests")
SETTINGS = ("home", "hospital", "care_home")
URGENCY = ("urgent", "soon", "routine")


def _professional(db: Session, data: dict, conversation: str, moment: datetime) -> tuple[dict, str]:
    """The professional named, who must have passed their PIN check in this conversation."""
    registration_body = validation.registration_body(body.text(data, "registration_body", "referrer."))
    number = validation.registration_number(registration_body, body.text(data, "registration_number", "referrer."))
    proof = verifications.proof(db, body.text(data, "verification", "referrer.", required=False, max_length=100),
                                "referrer", conversation, moment)
    referrer = find_referrer(db, registration_body, number)
    verifications.for_referrer(db, proof, referrer, moment)
    phone = body.text(data, "phone", "referrer.", required=False, max_length=40)
    fields = {
        "verification_id": proof.id,
        "referrer_kind": "professional", "referrer_id": referrer.id, "referrer_name": referrer.name,
        "referrer_profession": referrer.profession, "referrer_registration_body": registration_body,
        "referrer_registration_number": number, "referrer_organisation": referrer.organisation,
        "referrer_phone": validation.uk_phone(phone) if phone else referrer.phone,
    }
    return fields, referrer.profession


def _returning_client(db: Session, data: dict, conversation: str, moment: datetime):
    """A member of the public, for the returning client found by NHS number and date of birth in this
    conversation (the proof is checked against the patient once the patient is parsed)."""
    proof = verifications.proof(db, body.text(data, "verification", "referrer.", required=False, max_length=100),
                                "returning_client", conversation, moment)
    return proof, {
        "verification_id": proof.id,
        "referrer_kind": "returning_client",
        "referrer_name": body.text(data, "name", "referrer.", max_length=MAX_LENGTH["person_name"]),
        "referrer_relationship": body.choice(data, "relationship", RELATIONSHIPS, "referrer."),
        "referrer_phone": validation.uk_phone(body.text(data, "phone", "referrer.", max_length=40)),
    }


def _maybe(check, value, *args):
    return check(value, *args) if value is not None else None


def _patient(data: dict, today: date, nhs_number_required: bool, required: bool = True) -> dict:
    where = "patient."
    nhs_raw = body.text(data, "nhs_number", where, required=nhs_number_required, max_length=20)
    return {
        "patient_given_name": body.text(data, "given_name", where, required, max_length=MAX_LENGTH["given_name"]),
        "patient_family_name": body.text(data, "family_name", where, required, max_length=MAX_LENGTH["family_name"]),
        "patient_date_of_birth": _maybe(validation.date_of_birth, body.text(data, "date_of_birth", where, required),
                                        today),
        "patient_nhs_number": validation.nhs_number(nhs_raw) if nhs_raw else None,
        "patient_address_line": body.text(data, "address_line", where, required,
                                          max_length=MAX_LENGTH["address_line"]),
        "patient_postcode": _maybe(validation.postcode, body.text(data, "postcode", where, required, max_length=20)),
        "patient_phone": _maybe(validation.uk_phone, body.text(data, "phone", where, required, max_length=40)),
        "patient_lives_alone": body.boolean(data, "lives_alone", where, required),
    }


def _discharge_date(data: dict, setting: str | None, today: date, required: bool) -> date | None:
    discharge = body.text(data, "expected_discharge_date", required=required and setting == "hospital")
    if not discharge:
        return None
    try:
        discharge_date = date.fromisoformat(discharge)
    except ValueError:
        raise ApiError(400, "invalid_date", "expected_discharge_date must be a date like 2026-12-01.",
                       field="expected_discharge_date") from None
    if discharge_date < today:
        raise ApiError(422, "invalid_expected_discharge_date", "The expected discharge date is in the past.",
                       field="expected_discharge_date")
    return discharge_date


def _clinical(data: dict, today: date, required: bool = True) -> dict:
    setting = body.choice(data, "setting", SETTINGS, required=required)
    consent = body.text(data, "consent", required=required)
    if consent is not None and consent not in CONSENT:
        raise ApiError(422, "consent_required", "A referral needs the patient's consent, or a best-interests "
                                                "decision by the referrer.", field="consent")
    return {
        "consent": consent,
        "setting": setting,
        "expected_discharge_date": _discharge_date(data, setting, today, required),
        "reason": body.text(data, "reason", required=required, max_length=MAX_LENGTH["reason"]),
        "difficulties": body.text_list(data, "difficulties", required=False),
        "goals": body.text_list(data, "goals", required=False),
        "risks": body.text_list(data, "risks", required=False),
        "mental_health_crisis": body.boolean(data, "mental_health_crisis", required=required),
        "urgency": body.choice(data, "urgency", URGENCY, required=required),
    }


def parse_incomplete(db: Session, data: dict, definition: ServiceDefinition, received: datetime) -> dict:
    """What a verified professional had given when the conversation ended before submitting: every field
    is optional but must still pass its rule; the professional referrer and the conversation are required."""
    today = received.date()
    conversation = body.text(data, "conversation_id", max_length=200)
    referrer_data = body.obj(data, "referrer")
    if body.choice(referrer_data, "kind", REFERRER_KINDS, "referrer.") != "professional":
        raise ApiError(422, "incomplete_needs_professional", "Only a verified professional's unfinished "
                                                             "referral is kept; nothing is stored for the public.")
    fields, _profession = _professional(db, referrer_data, conversation, received)
    fields.update(_patient(body.obj(data, "patient", required=False), today, False, required=False))
    borough = None
    if fields["patient_postcode"]:
        borough = definition.borough(validation.known_postcode(fields["patient_postcode"])[1])
    fields.update(_clinical(data, today, required=False))
    fields.update({
        "service": body.choice(data, "service", tuple(definition.services), required=False),
        "channel": body.choice(data, "channel", CHANNELS),
        "conversation_id": conversation,
        "borough_code": borough.code if borough else None,
        "borough_name": borough.name if borough else None,
        "routing_contacts": [c.as_dict() for c in borough.adult_social_care] if borough else [],
    })
    return fields


def parse_referral(db: Session, data: dict, definition: ServiceDefinition, received: datetime) -> dict:
    today = received.date()
    conversation = body.text(data, "conversation_id", max_length=200)
    service_key = body.choice(data, "service", tuple(definition.services))
    referrer_data = body.obj(data, "referrer")
    kind = body.choice(referrer_data, "kind", REFERRER_KINDS, "referrer.")
    proof = None
    if kind == "professional":
        fields, profession = _professional(db, referrer_data, conversation, received)
        rule_kind = definition.professions[profession].kind if profession in definition.professions else "health_professional"
    else:
        (proof, fields), rule_kind = _returning_client(db, referrer_data, conversation, received), "returning_client"
    if not definition.may_refer(rule_kind, service_key):
        raise ApiError(422, "not_eligible", f"A {rule_kind.replace('_', ' ')} cannot refer to "
                                            f"{definition.services[service_key].name}.", field="service")

    fields.update(_patient(body.obj(data, "patient"), today, nhs_number_required=kind == "returning_client"))
    if proof is not None and (proof.client.nhs_number, proof.client.date_of_birth) != (
            fields["patient_nhs_number"], fields["patient_date_of_birth"]):
        raise ApiError(422, "not_returning_client", "The patient is not the returning client this conversation "
                                                    "found, so a member of the public cannot refer them.",
                       field="patient.nhs_number")
    authority = validation.known_postcode(fields["patient_postcode"])[1]
    borough = definition.borough(authority)
    if borough is None:
        raise ApiError(422, "out_of_area", f"The postcode {fields['patient_postcode']} is outside the "
                                           f"{definition.short_name} area.", field="patient.postcode")
    fields.update(_clinical(data, today))
    fields.update({
        "service": service_key,
        "channel": body.choice(data, "channel", CHANNELS),
        "conversation_id": conversation,
        "borough_code": borough.code,
        "borough_name": borough.name,
        "routing_contacts": [c.as_dict() for c in borough.adult_social_care],
    })
    return fields
