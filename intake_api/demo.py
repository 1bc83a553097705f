"""Demo data: one referrer per kind of profession, two returning clients, a staff user."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from .models import Client, StaffUser

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
    from .cli import add_episode, add_staff, enrol_referrer
    from .lookups import find_referrer

    from .security import hash_pin

    lines = [f"Demo referrers (PIN {DEMO_PIN} for each):"]
    pin_hash = hash_pin(DEMO_PIN)
    for body, number, name, profession, organisation, ods, phone in REFERRERS:
        if not find_referrer(db, body, number):
            enrol_referrer(db, body, number, name, profession, organisation, ods, phone, DEMO_PIN, pin_hash)
        lines.append(f"  {body:<4} {number:<9} {name} ({profession})")
    lines.append("Demo returning clients:")
    for nhs_number, born, given, family, service, ended in CLIENTS:
        if db.scalar(select(Client).where(Client.nhs_number == nhs_number)) is None:
            add_episode(db, nhs_number, born, given, family, service, ended)
        lines.append(f"  NHS {nhs_number}, born {born.isoformat()}: {given} {family}")
    if db.scalar(select(StaffUser).where(StaffUser.email == DEMO_STAFF_EMAIL)) is None:
        add_staff(db, DEMO_STAFF_EMAIL, DEMO_STAFF_PASSWORD)
    lines.append(f"Demo staff user: {DEMO_STAFF_EMAIL} / {DEMO_STAFF_PASSWORD}")
    return lines
