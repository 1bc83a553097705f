"""A referral as a FHIR R4 Bundle (validated against fhir.resources' R4B models before it leaves).

ServiceRequest (the referral), Patient (the service's patient identifier: NHS number, or CHI number in
Scotland), and who asked for it: a professional as Practitioner
(registration number in the UK Core system of their body) with PractitionerRole and Organization (ODS code
when known); a relative or carer of a returning client as RelatedPerson; a returning client calling for
themselves as the Patient.
"""
from __future__ import annotations

import uuid

from fhir.resources.R4B.bundle import Bundle

from referral_rules.clock import now
from referral_rules.contract import choice_label, label
from referral_rules.service_definition import ServiceDefinition

from .models import Referral
from .serialise import iso

ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code"
# FHIR ServiceRequest.status: what the team will do with it.
STATUS = {"incomplete": "draft", "new": "active", "triaged": "active", "accepted": "active",
          "declined": "revoked", "redirected": "revoked"}
# The line asks "today, in the next few days, or routine?"; FHIR ranks asap above urgent.
PRIORITY = {"urgent": "asap", "soon": "urgent", "routine": "routine"}


def _yes_no(value: bool | None) -> str:
    return "not recorded" if value is None else ("yes" if value else "no")


def _drop_empty(resource: dict) -> dict:
    return {k: v for k, v in resource.items() if v not in (None, [], {}, "")}


class _Entries:
    def __init__(self, reference: str):
        self.reference, self.items = reference, []

    def add(self, resource: dict, first: bool = False) -> str:
        """Add a resource with an id stable for this referral; return its fullUrl for references."""
        rid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"cis-referral/{self.reference}/{resource['resourceType']}"))
        full_url = f"urn:uuid:{rid}"
        self.items.insert(0 if first else len(self.items),
                          {"fullUrl": full_url, "resource": _drop_empty({**resource, "id": rid})})
        return full_url


def _phone(number: str | None, use: str) -> list[dict]:
    return [{"system": "phone", "value": number, "use": use}] if number else []


def identifier_system(definition: ServiceDefinition) -> str:
    return definition.patient_identifier.fhir_system


def _patient(r: Referral, definition: ServiceDefinition) -> dict:
    name = _drop_empty({"family": r.patient_family_name,
                        "given": [r.patient_given_name] if r.patient_given_name else []})
    return {
        "resourceType": "Patient",
        "identifier": [{"system": identifier_system(definition), "value": r.patient_nhs_number}]
        if r.patient_nhs_number else [],
        "name": [name] if name else [],
        "birthDate": iso(r.patient_date_of_birth),
        "telecom": _phone(r.patient_phone, "home"),
        "address": [_drop_empty({"line": [r.patient_address_line] if r.patient_address_line else [],
                                 "postalCode": r.patient_postcode, "district": r.borough_name})]
        if r.patient_address_line or r.patient_postcode else [],
    }


def _requester(entries: _Entries, r: Referral, definition: ServiceDefinition, patient_url: str) -> str:
    if r.referrer_kind == "returning_client":
        if r.referrer_relationship in (None, "self"):
            return patient_url
        return entries.add({"resourceType": "RelatedPerson", "patient": {"reference": patient_url},
                            "relationship": [{"text": choice_label("referrer.relationship",
                                                                   r.referrer_relationship)}],
                            "name": [{"text": r.referrer_name}] if r.referrer_name else [],
                            "telecom": _phone(r.referrer_phone, "mobile")})
    body, number = r.referrer_registration_body, r.referrer_registration_number
    practitioner = entries.add({
        "resourceType": "Practitioner",
        "identifier": [{"system": definition.registration_systems[body], "value": number}]
        if body in definition.registration_systems and number else [],
        "name": [{"text": r.referrer_name}] if r.referrer_name else [],
        "telecom": _phone(r.referrer_phone, "work"),
    })
    role = {"resourceType": "PractitionerRole", "practitioner": {"reference": practitioner}}
    if r.referrer_organisation:
        ods = r.referrer.ods_code if r.referrer is not None else None
        role["organization"] = {"reference": entries.add({
            "resourceType": "Organization", "name": r.referrer_organisation,
            "identifier": [{"system": ODS_SYSTEM, "value": ods}] if ods else []})}
    profession = definition.professions.get(r.referrer_profession or "")
    if profession or r.referrer_profession:
        role["code"] = [{"text": profession.name if profession else r.referrer_profession}]
    return entries.add(role)


def _notes(r: Referral) -> list[dict]:
    """What has no place of its own in the resources, one line each, labelled as the staff page labels it."""
    def items(values) -> str:
        return ", ".join(values or []) or "none recorded"

    setting = choice_label("setting", r.setting)
    if r.expected_discharge_date:
        setting += f", {label('expected_discharge_date').lower()} {iso(r.expected_discharge_date)}"
    contacts = "; ".join(" ".join(filter(None, (c.get("name"), c.get("phone")))) for c in r.routing_contacts or [])
    lines = [
        f"{label('setting')}: {setting}",
        f"{label('difficulties')}: {items(r.difficulties)}",
        f"{label('goals')}: {items(r.goals)}",
        f"{label('risks')}: {items(r.risks)}",
        f"{label('mental_health_crisis')}: {_yes_no(r.mental_health_crisis)}",
        f"{label('patient.lives_alone')}: {_yes_no(r.patient_lives_alone)}",
        f"{label('consent')}: {choice_label('consent', r.consent)}",
        f"{label('urgency')}: {choice_label('urgency', r.urgency)}",
        f"Received {'out of hours' if r.out_of_hours else 'in opening hours'} by {choice_label('channel', r.channel)}",
    ]
    if r.borough_name:
        lines.append(f"{label('borough.name')}: {r.borough_name}"
                     + (f"; {label('routing.contacts').lower()}: {contacts}" if contacts else ""))
    return [{"text": line} for line in lines]


def referral_bundle(r: Referral, definition: ServiceDefinition) -> Bundle:
    """The referral as a validated R4B Bundle (a pydantic ValidationError would mean a bug here, not bad input)."""
    entries = _Entries(r.reference)
    patient_url = entries.add(_patient(r, definition))
    requester = _requester(entries, r, definition, patient_url)
    service = definition.services.get(r.service or "")
    entries.add({
        "resourceType": "ServiceRequest",
        "identifier": [{"system": definition.referral_reference_system, "value": r.reference}],
        "status": STATUS[r.status],
        "intent": "order",
        "priority": PRIORITY.get(r.urgency or ""),
        "code": {"text": service.name if service else (r.service or "not chosen yet")},
        "subject": {"reference": patient_url},
        "authoredOn": iso(r.received_at),
        "requester": {"reference": requester},
        "reasonCode": [{"text": r.reason}] if r.reason else [],
        "note": _notes(r),
    }, first=True)
    return Bundle.model_validate({
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": iso(now()),
        "identifier": {"system": definition.referral_reference_system, "value": f"{r.reference}-bundle"},
        "entry": entries.items,
    })
