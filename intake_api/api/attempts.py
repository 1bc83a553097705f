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
    """Take one of the registration's allowed tries before the PIN is looked at: the tries taken so far
    including this one, or None when none is free (locked, or every try already being checked). Committed at
    once, so concurrent checks each see the others' claims: however many arrive together, at most
    ``lockout_attempts`` PINs are checked. Only a confirmed wrong PIN locks (``lock``), so right PINs checked at
    the same moment never lock the registration."""
    insert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.execute(insert(Attempts).values(registration_body=body, registration_number=number, failures=0)
               .on_conflict_do_nothing())
    at = literal(moment, DateTime(timezone=True))
    lock_ended = and_(Attempts.locked_until.is_not(None), Attempts.locked_until <= at)
    claimed = db.execute(
        update(Attempts)
        .where(_key(body, number), or_(Attempts.locked_until.is_(None), lock_ended),
               or_(lock_ended, Attempts.failures < definition.lockout_attempts))
        .values(failures=case((lock_ended, 1), else_=Attempts.failures + 1),
                locked_until=case((lock_ended, None), else_=Attempts.locked_until))
        .returning(Attempts.failures)
    ).scalar()
    db.commit()
    return claimed


def lock(db: Session, body: str, number: str, moment: datetime, definition: ServiceDefinition) -> None:
    """The last allowed try was a wrong PIN: locked for the service's lock-out minutes. Committed at once, as
    the claim was: if the lock were lost with a later statement, every try would stay taken and unlocked."""
    db.execute(update(Attempts).where(_key(body, number)).values(
        locked_at=moment, locked_until=moment + timedelta(minutes=definition.lockout_minutes)))
    db.commit()


def is_locked(db: Session, body: str, number: str, moment: datetime) -> bool:
    attempts = db.get(Attempts, (body, number))
    return attempts is not None and attempts.locked_until is not None and attempts.locked_until > moment


def clear_failures(db: Session, body: str, number: str) -> None:
    """The right PIN: the count starts again (when the registration last locked stays on record)."""
    db.execute(update(Attempts).where(_key(body, number)).values(failures=0, locked_until=None))
