"""The referral contract: each field of a referral, once.

For every field: its name in the intake API (SPEC section 6), its column in the case store, the bot's slot
that fills it, its kind, its allowed values with the words staff read, the most the case store holds, and
its label. The action server's payload, the API's parser, the model's column sizes, the serialiser, the FHIR
bundle, the CSV, the staff page and the bot's read-back are all made from this. No Flask, SQLAlchemy or Rasa.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from .validation import MAX_LENGTH, MAX_LIST_ITEMS

# What the bot keeps in a slot for an answer that is not a value.
UNKNOWN = "unknown"                # the caller does not know it (the patient identifier)
NOT_APPLICABLE = "not_applicable"  # the question did not apply (no discharge date for a patient at home)

STATUSES = {"incomplete": "incomplete", "new": "new", "triaged": "triaged", "accepted": "accepted",
            "declined": "declined", "redirected": "redirected"}
CHANNELS = {"chat": "chat", "voice": "telephone"}
REFERRER_KINDS = {"professional": "professional", "returning_client": "returning client"}
RELATIONSHIPS = {"self": "the patient themselves", "family": "family", "carer": "carer", "friend": "friend"}
CONSENT = {"given": "given by the patient", "best_interests": "best-interests decision by the referrer"}
SETTINGS = {"home": "at home", "hospital": "in hospital", "care_home": "in a care home"}
URGENCY = {"urgent": "urgent (today)", "soon": "soon (the next few days)", "routine": "routine"}

DEFAULT_IDENTIFIER = "NHS number"


def known(value: Any) -> Any:
    """A slot's value, or None for an answer not given ("", "unknown", or a question that did not apply)."""
    if value is None or (isinstance(value, str) and value in ("", UNKNOWN, NOT_APPLICABLE)):
        return None
    return value


def _name_part(which: int) -> Callable[[str], str | None]:
    """The given (0) or family (2) name of "Edith Mary Clarke": the family name is the last word."""
    return lambda name: name.strip().rpartition(" ")[which] or None


def _registration_part(which: int) -> Callable[[str], str | None]:
    """The body (0) or number (2) of the slot's "GMC 7123456"."""
    return lambda registration: registration.strip().partition(" ")[which] or None


def _referrer_kind(caller_type: str) -> str:
    """The bot's caller_type (professional or public) as the kind of referrer: the public refer returning clients."""
    return "professional" if caller_type == "professional" else "returning_client"


@dataclass(frozen=True)
class Field:
    path: str                          # as a stored referral shows it: "patient.given_name"
    label: str                         # as staff read it: "Given name"
    column: str | None                 # in the case store; None: never stored (the check's token)
    kind: str = "text"                 # text, long_text, id, datetime, boolean, choice, service, date_of_birth,
                                       # date, patient_identifier, postcode, phone, registration_body,
                                       # registration_number, list, contacts
    choices: Mapping[str, str] | None = None  # allowed values, each with the words staff read
    max_length: int | None = None      # the most the case store holds: characters (a list: items)
    posted: str | bool = True          # its name in a posted referral: True the same, False worked out by the API
    posted_max: int | None = None      # the longest posted text, before it is normalised ("020 7946 0999")
    slot: str | None = None            # the bot's slot that fills it
    from_slot: Callable[[Any], Any] | None = None  # the slot's value -> this field's (one slot fills two fields)
    referrer_kinds: tuple[str, ...] = ()  # a referrer's field: the kinds of referrer whose slots give it
    only_when: tuple[str, str] | None = None  # asked only when another field has this value
    said: str | None = None            # how the line names it to a caller: "the date of birth"

    @property
    def request_path(self) -> str | None:
        """Where a posted referral has it, or None when the API works it out."""
        if self.posted is True:
            return self.path
        return self.posted or None

    def answer(self, raw: Any) -> Any:
        """The slot's value as this field's (not lists: the action server splits those): None when not known."""
        value = known(raw)
        if value is None:
            return None
        if self.from_slot is not None:
            return self.from_slot(value)
        if self.kind == "boolean":
            return value if isinstance(value, bool) else None
        if self.choices is not None:
            return value if value in self.choices else None
        return value


_FIELDS = (
    Field("id", "Id", "id", kind="id", posted=False),
    Field("reference", "Reference", "reference", max_length=16, posted=False),
    Field("status", "Status", "status", kind="choice", choices=STATUSES, max_length=20),
    Field("service", "Service", "service", kind="service", max_length=40, slot="service"),
    Field("channel", "Channel", "channel", kind="choice", choices=CHANNELS, max_length=20),
    Field("conversation_id", "Conversation", "conversation_id", max_length=200),
    Field("received_at", "Received", "received_at", kind="datetime", posted=False),
    Field("out_of_hours", "Out of hours", "out_of_hours", kind="boolean", posted=False),

    Field("referrer.kind", "Kind", "referrer_kind", kind="choice", choices=REFERRER_KINDS, max_length=30,
          slot="caller_type", from_slot=_referrer_kind),
    Field("referrer.id", "Directory entry", "referrer_id", kind="id", posted=False),
    Field("referrer.name", "Name", "referrer_name", max_length=MAX_LENGTH["person_name"], slot="caller_name",
          referrer_kinds=("returning_client",)),
    Field("referrer.profession", "Profession", "referrer_profession", max_length=40, posted=False),
    Field("referrer.registration.body", "Registration body", "referrer_registration_body", kind="registration_body",
          max_length=8, posted="referrer.registration_body", slot="registration_number",
          from_slot=_registration_part(0), referrer_kinds=("professional",)),
    Field("referrer.registration.number", "Registration number", "referrer_registration_number",
          kind="registration_number", max_length=16,
          posted="referrer.registration_number", slot="registration_number", from_slot=_registration_part(2),
          referrer_kinds=("professional",)),
    Field("referrer.organisation", "Organisation", "referrer_organisation", max_length=200, posted=False),
    Field("referrer.relationship", "Relationship", "referrer_relationship", kind="choice", choices=RELATIONSHIPS,
          max_length=40, slot="caller_relationship", referrer_kinds=("returning_client",)),
    Field("referrer.phone", "Callback phone", "referrer_phone", kind="phone", max_length=20, posted_max=40,
          slot="caller_phone", referrer_kinds=("returning_client",)),
    Field("referrer.verification", "Check passed", None, posted_max=100, slot="verification",
          referrer_kinds=("professional", "returning_client")),

    Field("patient.given_name", "Given name", "patient_given_name", max_length=MAX_LENGTH["given_name"],
          slot="patient_name", from_slot=_name_part(0), said="the patient's full name"),
    Field("patient.family_name", "Family name", "patient_family_name", max_length=MAX_LENGTH["family_name"],
          slot="patient_name", from_slot=_name_part(2), said="the patient's full name"),
    Field("patient.date_of_birth", "Date of birth", "patient_date_of_birth", kind="date_of_birth",
          slot="patient_date_of_birth", said="the date of birth"),
    Field("patient.nhs_number", DEFAULT_IDENTIFIER, "patient_nhs_number", kind="patient_identifier",
          max_length=10, posted_max=20, slot="patient_nhs_number"),
    Field("patient.address_line", "Address", "patient_address_line", max_length=MAX_LENGTH["address_line"],
          slot="patient_address", said="the first line of the address"),
    Field("patient.postcode", "Postcode", "patient_postcode", kind="postcode", max_length=10, posted_max=20,
          slot="patient_postcode", said="the postcode"),
    Field("patient.phone", "Phone", "patient_phone", kind="phone", max_length=20, posted_max=40,
          slot="patient_phone", said="the patient's phone number"),
    Field("patient.lives_alone", "Lives alone", "patient_lives_alone", kind="boolean", slot="lives_alone",
          said="whether they live alone"),

    Field("borough.code", "Borough code", "borough_code", max_length=9, posted=False),
    Field("borough.name", "Borough", "borough_name", max_length=100, posted=False),
    Field("routing.contacts", "Adult social care", "routing_contacts", kind="contacts", posted=False),
    Field("consent", "Consent", "consent", kind="choice", choices=CONSENT, max_length=20, slot="consent"),
    Field("setting", "Where the patient is", "setting", kind="choice", choices=SETTINGS, max_length=20,
          slot="setting"),
    Field("expected_discharge_date", "Expected discharge", "expected_discharge_date", kind="date",
          slot="expected_discharge_date", only_when=("setting", "hospital"), said="the expected discharge date"),
    Field("reason", "Reason for referral", "reason", kind="long_text", max_length=MAX_LENGTH["reason"], slot="reason",
          said="the reason for referral"),
    Field("difficulties", "Difficulties", "difficulties", kind="list", max_length=MAX_LIST_ITEMS,
          slot="difficulties", said="what they are finding difficult"),
    Field("goals", "Goals", "goals", kind="list", max_length=MAX_LIST_ITEMS, slot="goals", said="their goals"),
    Field("risks", "Risks", "risks", kind="list", max_length=MAX_LIST_ITEMS, slot="risks", said="the risks"),
    Field("mental_health_crisis", "Mental health crisis", "mental_health_crisis", kind="boolean",
          slot="mental_health_crisis", said="mental health crisis involvement"),
    Field("urgency", "Urgency", "urgency", kind="choice", choices=URGENCY, max_length=20, slot="urgency",
          said="how urgent it is"),
)

FIELDS: dict[str, Field] = {f.path: f for f in _FIELDS}
# Objects of a stored referral that are null, not a set of nulls, when none of their fields is known.
NULL_WHEN_EMPTY = ("referrer.registration", "borough")
# What the case store holds at most in each text column of a referral (models.Referral's column sizes).
COLUMN_LENGTH: dict[str, int] = {f.column: f.max_length for f in _FIELDS
                                 if f.column and f.max_length and f.kind not in ("list", "long_text")}


def identifier_name(definition: Any = None) -> str:
    """The patient identifier's name for this service ("NHS number", "CHI number")."""
    return definition.patient_identifier.name if definition is not None else DEFAULT_IDENTIFIER


def label(path: str, definition: Any = None) -> str:
    """How staff read a field ("Date of birth"); the patient identifier as the service names it."""
    field = FIELDS[path]
    return identifier_name(definition) if field.kind == "patient_identifier" else field.label


def labels(definition: Any = None) -> dict[str, str]:
    return {path: label(path, definition) for path in FIELDS}


def choice_label(path: str, value: str | None, missing: str = "not recorded") -> str:
    """A stored value as staff read it ("in a care home"); one the contract does not know, as it is stored."""
    if value is None:
        return missing
    return (FIELDS[path].choices or {}).get(value, str(value).replace("_", " "))


def said(slot: str, definition: Any = None) -> str | None:
    """How the line names the field a slot fills, to a caller: "the date of birth", "the CHI number"."""
    for field in _FIELDS:
        if field.slot == slot:
            if field.kind == "patient_identifier":
                return f"the {identifier_name(definition)}"
            return field.said
    return None


def slot_fields(referrer_kind: str) -> list[Field]:
    """The fields the bot's slots fill for a referral from this kind of referrer."""
    return [f for f in _FIELDS if f.slot and (not f.referrer_kinds or referrer_kind in f.referrer_kinds)]


def put(target: dict, path: str, value: Any) -> None:
    """Set ``value`` at a dotted path, making the objects on the way."""
    *outer, key = path.split(".")
    for name in outer:
        target = target.setdefault(name, {})
    target[key] = value


def where_and_key(path: str) -> tuple[str, str]:
    """("patient.", "given_name") for "patient.given_name": how the API's errors name a field."""
    outer, _, key = path.rpartition(".")
    return (outer + "." if outer else ""), key
