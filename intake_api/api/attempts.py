"""A registration's failed PIN checks, counted by single atomic statements (no read-modify-write), so the
lock-out is exact on SQLite and PostgreSQL alike however many checks arrive at once."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import DateTime, and_, case, literal, or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from referral_rules.service_definition import ServiceDefinition

from ..models import RegistrationAttempts as Attempts


def _key(body: str, number: str):
    return and_(Attempts.registration_body == body, Attempts.registration_number == number)


def claim_attempt(db: Session, body: str, number: str, moment: datetime,
                  definition: ServiceDefinition) -> int | None:
    """Count one more check against the registration, before the PIN is looked at: the failures so far
    including this one, or None while the registration is locked. Committed at once, so concurrent checks
    each see the others' claims."""
    insert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.execute(insert(Attempts).values(registration_body=body, registration_number=number, failures=0)
               .on_conflict_do_nothing())
    at = literal(moment, DateTime(timezone=True))
    lock_ended = and_(Attempts.locked_until.is_not(None), Attempts.locked_until <= at)
    failures = case((lock_ended, 1), else_=Attempts.failures + 1)
    locks_now = failures >= definition.lockout_attempts
    until = literal(moment + timedelta(minutes=definition.lockout_minutes), DateTime(timezone=True))
    claimed = db.execute(
        update(Attempts)
        .where(_key(body, number), or_(Attempts.locked_until.is_(None), Attempts.locked_until <= at))
        .values(failures=failures,
                locked_until=case((locks_now, until), else_=None),
                locked_at=case((locks_now, at), else_=Attempts.locked_at))
        .returning(Attempts.failures)
    ).scalar()
    db.commit()
    return claimed


def clear_failures(db: Session, body: str, number: str) -> None:
    """The right PIN: the count starts again (when the registration last locked stays on record)."""
    db.execute(update(Attempts).where(_key(body, number)).values(failures=0, locked_until=None))
