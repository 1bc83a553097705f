"""Demo data: one referrer per kind of profession, two returning clients, a staff user. Loaded only by
``flask demo load`` (``make run`` on a new SQLite store), marked ``demo``, removed by ``flask demo remove``;
CIS_ENV=production refuses to start while a usable demo row is left (intake_api/production.py)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import delete, or_, select, update

from .models import (AuditEntry, Client, Episode, Referral, Referrer, StaffSession, StaffToken, StaffUser,
                     Verification)
from .store import audit

DEMO_PIN = "482913"
DEMO_STAFF_EMAIL = "staff@cis.example"
DEMO_STAFF_PASSWORD = "demo-staff-password"

REFERRERS = [
    # body, number, name, profession, organisation, ODS code, phone
    ("GMC", "7123456", "Dr Asha Patel", "gp", "Westbourne Green Surgery", "E87012", "020 7946 0101"),
    ("GMC", "7654321", "Dr Tom Okafor", "hospital_doctor", "St Mary's Hospital", "RYJ", "020 7946 0102"),
    ("NMC", "12A3456E", "Grace Mensah", "nurse", "Central London Community Healthcare", "RYX", "020 7946 0103"),
    ("HCPC", "OT12345", "Priya Shah", "occupational_therapist", "Chelsea and Westminster Hospital", "RQM",
     "020 7946 0104"),
    ("HCPC", "PH123456", "Liam Walsh", "physiotherapist", "St Charles Centre for Health", "RYX", "020 7946 0105"),
    ("HCPC", "PA12345", "Sam Reid", "paramedic", "London Ambulance Service", "RRU", "020 7946 0106"),
    ("GPhC", "2071234", "Hannah Cole", "pharmacist", "Portobello Pharmacy", "FA123", "020 7946 0107"),
    ("SWE", "SW123456", "Marcus Bell", "social_worker", "Westminster City Council", None, "020 7946 0108"),
]

CLIENTS = [
    # NHS number, date of birth, given name, family name, service, episode ended
    ("9434765919", date(1941, 3, 7), "Edith", "Clarke", "rehab_reablement", date(2025, 9, 30)),
    ("4010232137", date(1936, 11, 2), "Arthur", "Nolan", "rapid_response", date(2026, 2, 14)),
]


def load_demo(db) -> list[str]:
    """Load what is missing of the demo set; every row made here is marked ``demo`` (see ``remove_demo``)."""
    from .cli import add_episode, add_staff, enrol_referrer
    from .lookups import find_referrer

    from .security import hash_pin

    lines = [f"Demo referrers (PIN {DEMO_PIN} for each):"]
    pin_hash = hash_pin(DEMO_PIN)
    for body, number, name, profession, organisation, ods, phone in REFERRERS:
        if not find_referrer(db, body, number):
            referrer, _pin = enrol_referrer(db, body, number, name, profession, organisation, ods, phone, DEMO_PIN,
                                            pin_hash)
            referrer.demo = True
        lines.append(f"  {body:<4} {number:<9} {name} ({profession})")
    lines.append("Demo returning clients:")
    for nhs_number, born, given, family, service, ended in CLIENTS:
        if db.scalar(select(Client).where(Client.nhs_number == nhs_number)) is None:
            add_episode(db, nhs_number, born, given, family, service, ended).demo = True
        lines.append(f"  NHS {nhs_number}, born {born.isoformat()}: {given} {family}")
    if db.scalar(select(StaffUser).where(StaffUser.email == DEMO_STAFF_EMAIL)) is None:
        add_staff(db, DEMO_STAFF_EMAIL, DEMO_STAFF_PASSWORD)[0].demo = True
    lines.append(f"Demo staff user: {DEMO_STAFF_EMAIL} / {DEMO_STAFF_PASSWORD}")
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
