"""What a request works with, from the app that serves it: the service definition, the database session and
the audit log. Blueprints reach the app through these accessors, never by importing the app module."""
from __future__ import annotations

from flask import current_app, g
from sqlalchemy.orm import Session

from referral_rules.service_definition import ServiceDefinition

from .models import AuditEntry


def service() -> ServiceDefinition:
    """The service definition this app was built with (SERVICE_DEFINITION)."""
    return current_app.extensions["cis"]["service"]


def session() -> Session:
    if "db" not in g:
        g.db = current_app.extensions["cis"]["sessions"]()
    return g.db


def close_session(_exc=None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()


def audit(db: Session, actor: str, action: str, referral_id: int | None = None,
          referrer_id: int | None = None, **detail) -> None:
    """Add an audit entry to the session; it is committed with the change it records."""
    db.add(AuditEntry(actor=actor, action=action, referral_id=referral_id, referrer_id=referrer_id, detail=detail))
