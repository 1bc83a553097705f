"""The directory's changes that both the command line and the demo make: enrolling a referrer, recording a
past episode (which makes a returning client), adding a staff user. No click here: a change that cannot be
made raises ``Refused``, which the command line turns into its own error."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from referral_rules import validation
from referral_rules.clock import now
from referral_rules.service_definition import ServiceDefinition

from .lookups import find_referrer
from .models import Client, Episode, Referrer, StaffUser
from .security import hash_pin, hash_secret, new_pin, new_token
from .store import audit


class Refused(Exception):
    """A change that cannot be made. ``option`` names the command-line option at fault, when one is."""

    def __init__(self, message: str, option: str | None = None):
        super().__init__(message)
        self.message, self.option = message, option


def _valid(check, *args):
    try:
        return check(*args)
    except validation.Invalid as exc:
        raise Refused(exc.message, option=exc.field.replace("_", "-")) from None


def enrol_referrer(db: Session, definition: ServiceDefinition, body, number, name, profession, organisation,
                   ods=None, phone=None, pin=None, pin_hash=None) -> tuple[Referrer, str]:
    """Enrol a referrer; ``pin_hash`` lets the demo give several referrers one known PIN cheaply."""
    body = _valid(validation.registration_body, body, definition.registration_bodies)
    professions = definition.professions
    if profession not in professions:
        raise Refused(f"must be one of {', '.join(professions)}", option="--profession")
    if body not in professions[profession].registration_bodies:
        raise Refused(f"a {professions[profession].name} is registered with "
                      f"{' or '.join(professions[profession].registration_bodies)}", option="--body")
    number = _valid(validation.registration_number, body, number)
    if pin is not None and not (pin.isdigit() and len(pin) == 6):
        raise Refused("a PIN is 6 digits", option="--pin")
    if find_referrer(db, body, number):
        raise Refused(f"{body} {number} is already enrolled.")
    pin = pin or new_pin()
    referrer = Referrer(registration_body=body, registration_number=number, name=name, profession=profession,
                        organisation=organisation, ods_code=ods, pin_hash=pin_hash or hash_pin(pin),
                        phone=_valid(validation.uk_phone, phone) if phone else None)
    db.add(referrer)
    db.flush()
    audit(db, "cli", "referrer.enrolled", referrer_id=referrer.id, registration_body=body, registration_number=number)
    return referrer, pin


def add_episode(db: Session, definition: ServiceDefinition, identifier, dob: date, given_name, family_name,
                service, ended: date) -> Client:
    """A past episode of one of the services; the client (by patient identifier) is added if new."""
    scheme = definition.patient_identifier
    identifier = _valid(validation.patient_identifier, identifier, scheme.scheme)
    born = _valid(validation.date_of_birth, dob, now().date())
    if service not in definition.services:
        raise Refused(f"must be one of {', '.join(definition.services)}", option="--service")
    client = db.scalar(select(Client).where(Client.nhs_number == identifier))
    if client is None:
        client = Client(nhs_number=identifier, date_of_birth=born, given_name=given_name, family_name=family_name)
        db.add(client)
    elif client.date_of_birth != born:
        raise Refused(f"That {scheme.name} is on record with a different date of birth.")
    db.add(Episode(client=client, service=service, ended=ended))
    db.flush()
    audit(db, "cli", "client.episode_added", service=service)
    return client


def add_staff(db: Session, email: str, password: str | None) -> tuple[StaffUser, str]:
    email = email.strip().lower()
    if "@" not in email:
        raise Refused("must be an email address", option="--email")
    if db.scalar(select(StaffUser).where(StaffUser.email == email)):
        raise Refused(f"{email} is already a staff user.")
    if password is not None and len(password) < 10:
        raise Refused("must be at least 10 characters", option="--password")
    password = password or new_token()[:16]
    user = StaffUser(email=email, password_hash=hash_secret(password))
    db.add(user)
    db.flush()
    audit(db, "cli", "staff.added", staff_user=email)
    return user, password
