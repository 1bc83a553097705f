"""Demo data: the service file's demo referrers and returning clients (its ``demo:`` section), and a staff user.
Loaded only by ``flask demo load`` (``make run`` on a new SQLite store), marked ``demo``, removed by ``flask demo
remove``; CIS_ENV=production refuses to start while a usable demo row is left (intake_api/production.py)."""
from __future__ import annotations

from sqlalchemy import delete, or_, select, update

from referral_rules.service_definition import ServiceDefinition

from .directory import Refused, add_episode, add_staff, enrol_referrer
from .lookups import find_referrer
from .models import (AuditEntry, Client, Episode, Referral, Referrer, StaffSession, StaffToken, StaffUser,
                     Verification)
from .security import hash_pin
from .store import audit

DEMO_PIN = "482913"
DEMO_STAFF_PASSWORD = "demo-staff-password"


def load_demo(db, definition: ServiceDefinition) -> list[str]:
    """Load what is missing of the demo set; every row made here is marked ``demo`` (see ``remove_demo``)."""
    demo = definition.demo
    if demo.staff_email is None:
        raise Refused("This service definition has no demo: section, so there is no demo data to load.")
    lines = [f"Demo referrers (PIN {DEMO_PIN} for each):"]
    pin_hash = hash_pin(DEMO_PIN)
    for r in demo.referrers:
        if not find_referrer(db, r.registration_body, r.registration_number):
            referrer, _pin = enrol_referrer(db, definition, r.registration_body, r.registration_number, r.name,
                                            r.profession, r.organisation, r.ods_code, r.phone, DEMO_PIN, pin_hash)
            referrer.demo = True
        lines.append(f"  {r.registration_body:<4} {r.registration_number:<9} {r.name} ({r.profession})")
    lines.append("Demo returning clients:")
    label = definition.patient_identifier.name
    for c in demo.clients:
        if db.scalar(select(Client).where(Client.nhs_number == c.identifier)) is None:
            add_episode(db, definition, c.identifier, c.date_of_birth, c.given_name, c.family_name, c.service,
                        c.episode_ended).demo = True
        lines.append(f"  {label} {c.identifier}, born {c.date_of_birth.isoformat()}: {c.given_name} {c.family_name}")
    if db.scalar(select(StaffUser).where(StaffUser.email == demo.staff_email)) is None:
        add_staff(db, demo.staff_email, DEMO_STAFF_PASSWORD)[0].demo = True
    lines.append(f"Demo staff user: {demo.staff_email} / {DEMO_STAFF_PASSWORD}")
    return lines


def remove_demo(db) -> list[str]:
    """Delete the demo rows. A demo referrer or client that a stored referral names stays, so the referral keeps
    its record, but can no longer be used: the referrer is deactivated, the client loses its episodes (so is
    no longer a returning client)."""
    staff = list(db.scalars(select(StaffUser).where(StaffUser.demo)))
    for user in staff:
        db.execute(delete(StaffToken).where(StaffToken.staff_user_id == user.id))
        db.execute(delete(StaffSession).where(StaffSession.staff_user_id == user.id))
        db.delete(user)
    referrers_removed = referrers_kept = 0
    for referrer in db.scalars(select(Referrer).where(Referrer.demo)):
        if _named_by_a_referral(db, Verification.referrer_id == referrer.id, Referral.referrer_id == referrer.id):
            referrer.active = False
            referrers_kept += 1
            continue
        db.execute(delete(Verification).where(Verification.referrer_id == referrer.id))
        # The audit trail keeps its entries (they name the registration); they no longer point at a deleted row.
        db.execute(update(AuditEntry).where(AuditEntry.referrer_id == referrer.id).values(referrer_id=None))
        db.delete(referrer)
        referrers_removed += 1
    clients_removed = clients_kept = 0
    for client in db.scalars(select(Client).where(Client.demo)):
        db.execute(delete(Episode).where(Episode.client_id == client.id))
        if _named_by_a_referral(db, Verification.client_id == client.id):
            clients_kept += 1
            continue
        db.execute(delete(Verification).where(Verification.client_id == client.id))
        db.delete(client)
        clients_removed += 1
    audit(db, "cli", "demo.removed", staff_users=len(staff), referrers=referrers_removed, clients=clients_removed,
          referrers_deactivated=referrers_kept, clients_kept=clients_kept)
    lines = [f"Removed {counted(len(staff), 'demo staff user')}, {counted(referrers_removed, 'demo referrer')}, "
             f"{counted(clients_removed, 'demo client')}."]
    if referrers_kept or clients_kept:
        lines.append(f"Kept because stored referrals name them: {counted(referrers_kept, 'demo referrer')} "
                     f"(deactivated), {counted(clients_kept, 'demo client')} (no longer returning clients).")
    return lines


def counted(number: int, thing: str) -> str:
    return f"{number} {thing}{'' if number == 1 else 's'}"


def _named_by_a_referral(db, of_this_row, named_directly=None) -> bool:
    """Does a stored referral name this row, directly or through one of its verifications?"""
    through_proof = Referral.verification_id.in_(select(Verification.id).where(of_this_row))
    condition = through_proof if named_directly is None else or_(through_proof, named_directly)
    return db.scalar(select(Referral.id).where(condition).limit(1)) is not None
