"""A referral as the action server posts it, checked field by field and against the service rules.

Each field is read by its entry in referral_rules.contract (its name, allowed values and limits). Returns the
column values for ``models.Referral``; everything derived (borough, routing, out of hours, the professional's
details) is worked out here from the case store and the service definition, never taken on trust.
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime

from sqlalchemy.orm import Session

from referral_rules import validation
from referral_rules.contract import CONSENT, FIELDS, Field, where_and_key
from referral_rules.service_definition import ServiceDefinition

from . import body, verifications
from .errors import ApiError
from .lookups import find_referrer

POSTED_STATUSES = ("new", "incomplete")


class _Check:
    """Where a field's error goes: raised at once (the API names the first), or, when ``collect``ing (the staff
    console's form shows them all), kept by the field's path while the other fields are read."""

    def __init__(self, collect: bool = False):
        self.collect = collect
        self.errors: dict[str, Exception] = {}

    @contextmanager
    def field(self, path: str):
        try:
            yield
        except (ApiError, validation.Invalid) as exc:
            if not self.collect:
                raise
            self.errors.setdefault(path, exc)


def _text(data: dict, path: str, required: bool = True) -> str | None:
    field = FIELDS[path]
    where, key = where_and_key(field.request_path)
    # Free text is refused beyond what the store holds; a value still to be normalised, beyond posted_max.
    limit = field.posted_max or (field.max_length if field.kind in ("text", "long_text") else None)
    return body.text(data, key, where, required, **({"max_length": limit} if limit else {}))


def _choice(data: dict, path: str, allowed=None, required: bool = True) -> str | None:
    field = FIELDS[path]
    where, key = where_and_key(field.request_path)
    return body.choice(data, key, tuple(allowed if allowed is not None else field.choices), where, required)


def _boolean(data: dict, path: str, required: bool = True) -> bool | None:
    where, key = where_and_key(FIELDS[path].request_path)
    return body.boolean(data, key, where, required)


def _list(data: dict, path: str) -> list[str]:
    where, key = where_and_key(FIELDS[path].request_path)
    return body.text_list(data, key, where, required=False)


def _professional(db: Session, data: dict, conversation: str, moment: datetime,
                  definition: ServiceDefinition) -> tuple[dict, str]:
    """The professional named, who must have passed their PIN check in this conversation."""
    registration_body = validation.registration_body(_text(data, "referrer.registration.body"),
                                                     definition.registration_bodies)
    number = validation.registration_number(registration_body, _text(data, "referrer.registration.number"))
    proof = verifications.proof(db, _text(data, "referrer.verification", required=False), "referrer",
                                conversation, moment)
    referrer = find_referrer(db, registration_body, number)
    verifications.for_referrer(db, proof, referrer, moment)
    phone = _text(data, "referrer.phone", required=False)
    fields = {
        "verification_id": proof.id,
        "referrer_kind": "professional", "referrer_id": referrer.id, "referrer_name": referrer.name,
        "referrer_profession": referrer.profession, "referrer_registration_body": registration_body,
        "referrer_registration_number": number, "referrer_organisation": referrer.organisation,
        "referrer_phone": validation.uk_phone(phone) if phone else referrer.phone,
    }
    return fields, referrer.profession


def _returning_client(db: Session, data: dict, conversation: str, moment: datetime):
    """A member of the public, for the returning client found by patient identifier and date of birth in this
    conversation (the proof is checked against the patient once the patient is parsed)."""
    proof = verifications.proof(db, _text(data, "referrer.verification", required=False), "returning_client",
                                conversation, moment)
    return proof, {
        "verification_id": proof.id,
        "referrer_kind": "returning_client",
        "referrer_name": _text(data, "referrer.name"),
        "referrer_relationship": _choice(data, "referrer.relationship"),
        "referrer_phone": validation.uk_phone(_text(data, "referrer.phone")),
    }


def _checked(field: Field, raw: str, today: date, definition: ServiceDefinition):
    """A posted text in its field's rule: normalised, or ``validation.Invalid`` (a 422 naming the field)."""
    if field.kind == "date_of_birth":
        return validation.date_of_birth(raw, today)
    if field.kind == "patient_identifier":
        return validation.patient_identifier(raw, definition.patient_identifier.scheme)
    if field.kind == "postcode":
        return validation.postcode(raw)
    if field.kind == "phone":
        return validation.uk_phone(raw)
    return raw


def _patient(data: dict, today: date, definition: ServiceDefinition, identifier_required: bool,
             required: bool = True, check: "_Check | None" = None) -> dict:
    """The patient's fields; the identifier is required only where the service rules say (a returning client)."""
    check = check or _Check()
    fields = {}
    for path in ("patient.given_name", "patient.family_name", "patient.date_of_birth", "patient.nhs_number",
                 "patient.address_line", "patient.postcode", "patient.phone", "patient.lives_alone"):
        field = FIELDS[path]
        with check.field(path):
            if field.kind == "boolean":
                fields[field.column] = _boolean(data, path, required)
                continue
            raw = _text(data, path, identifier_required if field.kind == "patient_identifier" else required)
            fields[field.column] = _checked(field, raw, today, definition) if raw else None
    return fields


def _discharge_date(data: dict, setting: str | None, today: date, required: bool) -> date | None:
    _setting, asked_when = FIELDS["expected_discharge_date"].only_when  # a patient in hospital
    discharge = _text(data, "expected_discharge_date", required=required and setting == asked_when)
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


def _clinical(data: dict, today: date, required: bool = True, check: "_Check | None" = None) -> dict:
    check = check or _Check()
    fields = {}
    with check.field("setting"):
        fields["setting"] = _choice(data, "setting", required=required)
    with check.field("consent"):
        consent = _text(data, "consent", required=required)
        if consent is not None and consent not in CONSENT:
            raise ApiError(422, "consent_required", "A referral needs the patient's consent, or a best-interests "
                                                    "decision by the referrer.", field="consent")
        fields["consent"] = consent
    if "setting" in fields:  # where the patient is says whether a discharge date is needed
        with check.field("expected_discharge_date"):
            fields["expected_discharge_date"] = _discharge_date(data, fields["setting"], today, required)
    with check.field("reason"):
        fields["reason"] = _text(data, "reason", required=required)
    for path in ("difficulties", "goals", "risks"):
        with check.field(path):
            fields[path] = _list(data, path)
    with check.field("mental_health_crisis"):
        fields["mental_health_crisis"] = _boolean(data, "mental_health_crisis", required=required)
    with check.field("urgency"):
        fields["urgency"] = _choice(data, "urgency", required=required)
    return fields


def _routing(borough) -> dict:
    return {
        "borough_code": borough.code if borough else None,
        "borough_name": borough.name if borough else None,
        "routing_contacts": [c.as_dict() for c in borough.adult_social_care] if borough else [],
    }


def parse_incomplete(db: Session, data: dict, definition: ServiceDefinition, received: datetime) -> dict:
    """What a verified professional had given when the conversation ended before submitting: every field
    is optional but must still pass its rule; the professional referrer and the conversation are required."""
    today = received.date()
    conversation = _text(data, "conversation_id")
    referrer_data = body.obj(data, "referrer")
    if _choice(referrer_data, "referrer.kind") != "professional":
        raise ApiError(422, "incomplete_needs_professional", "Only a verified professional's unfinished "
                                                             "referral is kept; nothing is stored for the public.")
    fields, _profession = _professional(db, referrer_data, conversation, received, definition)
    fields.update(_patient(body.obj(data, "patient", required=False), today, definition, False, required=False))
    borough = None
    if fields["patient_postcode"]:
        borough = definition.borough(validation.known_postcode(fields["patient_postcode"])[1])
    fields.update(_clinical(data, today, required=False))
    fields.update({
        "service": _choice(data, "service", definition.services, required=False),
        "channel": _choice(data, "channel"),
        "conversation_id": conversation,
        **_routing(borough),
    })
    return fields


def referrer_rule_kind(profession: str | None, definition: ServiceDefinition) -> str:
    """The kind of referrer a professional's profession is, as the services' referrers name them."""
    return definition.professions[profession].kind if profession in definition.professions else "health_professional"


def referral_details(data: dict, definition: ServiceDefinition, today: date, rule_kind: str,
                     identifier_required: bool, collect: bool = False) -> tuple[dict, dict[str, Exception]]:
    """Everything of a complete referral but who made it: the service (which this kind of referrer must be
    allowed to refer to), the patient (in the area), the clinical picture, and the borough's routing.
    Returns the column values and, with ``collect``, every field's error by the field's path (nothing raised);
    without it the first error is raised, as the API answers."""
    check = _Check(collect)
    fields = {}
    with check.field("service"):
        service_key = _choice(data, "service", definition.services)
        if not definition.may_refer(rule_kind, service_key):
            raise ApiError(422, "not_eligible", f"A {rule_kind.replace('_', ' ')} cannot refer to "
                                                f"{definition.services[service_key].name}.", field="service")
        fields["service"] = service_key
    patient = body.obj(data, "patient", required=not collect)
    fields.update(_patient(patient, today, definition, identifier_required, check=check))
    borough = None
    if fields.get("patient_postcode"):
        with check.field("patient.postcode"):
            borough = definition.borough(validation.known_postcode(fields["patient_postcode"])[1])
            if borough is None:
                raise ApiError(422, "out_of_area", f"The postcode {fields['patient_postcode']} is outside the "
                                                   f"{definition.short_name} area.", field="patient.postcode")
    fields.update(_clinical(data, today, check=check))
    fields.update(_routing(borough))
    return fields, check.errors


def parse_referral(db: Session, data: dict, definition: ServiceDefinition, received: datetime) -> dict:
    today = received.date()
    conversation = _text(data, "conversation_id")
    _choice(data, "service", definition.services)
    referrer_data = body.obj(data, "referrer")
    kind = _choice(referrer_data, "referrer.kind")
    proof = None
    if kind == "professional":
        fields, profession = _professional(db, referrer_data, conversation, received, definition)
        rule_kind = referrer_rule_kind(profession, definition)
    else:
        (proof, fields), rule_kind = _returning_client(db, referrer_data, conversation, received), "returning_client"
    details, _errors = referral_details(data, definition, today, rule_kind,
                                        identifier_required=kind == "returning_client")
    if proof is not None and (proof.client.nhs_number, proof.client.date_of_birth) != (
            details["patient_nhs_number"], details["patient_date_of_birth"]):
        raise ApiError(422, "not_returning_client", "The patient is not the returning client this conversation "
                                                    "found, so a member of the public cannot refer them.",
                       field="patient.nhs_number")
    fields.update(details)
    fields.update({"channel": _choice(data, "channel"), "conversation_id": conversation})
    return fields
