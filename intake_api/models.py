"""The case store: SQLAlchemy 2.0 typed models. Migrations in intake_api/migrations build the schema."""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any, Optional

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from referral_rules.clock import now
from referral_rules.contract import COLUMN_LENGTH as LENGTH  # a referral's text columns, as the contract says


class UTCDateTime(TypeDecorator):
    """A moment, stored in UTC and always given back aware in UTC: PostgreSQL keeps the zone, SQLite keeps
    none, so without this SQLite gives back naive times. A naive time given to it is taken as UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        utc = value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class Referrer(Base):
    """A professional in the referrer directory, who proves who they are with a PIN."""

    __tablename__ = "referrers"
    __table_args__ = (UniqueConstraint("registration_body", "registration_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_body: Mapped[str] = mapped_column(String(8))
    registration_number: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    profession: Mapped[str] = mapped_column(String(40))
    organisation: Mapped[str] = mapped_column(String(200))
    ods_code: Mapped[Optional[str]] = mapped_column(String(12))
    phone: Mapped[Optional[str]] = mapped_column(String(20))
    pin_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Loaded by `flask demo load` only; CIS_ENV=production refuses to start while any demo row exists.
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=now)


class RegistrationAttempts(Base):
    """Failed PIN checks for a registration, enrolled or not, so that an unknown registration locks
    exactly as a real one does. Changed only by single atomic UPDATE statements (api/referrers.py)."""

    __tablename__ = "registration_attempts"

    registration_body: Mapped[str] = mapped_column(String(8), primary_key=True)
    registration_number: Mapped[str] = mapped_column(String(16), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[Optional[datetime]]
    locked_at: Mapped[Optional[datetime]]


class Verification(Base):
    """Proof, recorded by the API itself, that a conversation's caller passed a check: a professional's PIN
    (``referrer``) or a returning client's NHS number and date of birth (``returning_client``). A referral
    from that conversation must name it. The caller's copy of the token is random; only its SHA-256 is kept."""

    __tablename__ = "verifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    conversation_id: Mapped[str] = mapped_column(String(200), index=True)
    referrer_id: Mapped[Optional[int]] = mapped_column(ForeignKey("referrers.id"))
    client_id: Mapped[Optional[int]] = mapped_column(ForeignKey("clients.id"))
    created_at: Mapped[datetime] = mapped_column(default=now)
    expires_at: Mapped[datetime]
    referrer: Mapped[Optional[Referrer]] = relationship()
    client: Mapped[Optional["Client"]] = relationship()


class Client(Base):
    """A person the service has supported before (a returning client)."""

    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    nhs_number: Mapped[str] = mapped_column(String(10), unique=True)
    date_of_birth: Mapped[date] = mapped_column(Date)
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    episodes: Mapped[list["Episode"]] = relationship(back_populates="client", order_by="Episode.ended")


class Episode(Base):
    """A past episode of the service's care."""

    __tablename__ = "episodes"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    service: Mapped[str] = mapped_column(String(40))
    ended: Mapped[date] = mapped_column(Date)
    client: Mapped[Client] = relationship(back_populates="episodes")


class Referral(Base):
    """A referral or an incomplete intake; its fields are those of referral_rules.contract."""

    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(LENGTH["reference"]), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    request_fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(LENGTH["status"]), default="new", index=True)
    service: Mapped[Optional[str]] = mapped_column(String(LENGTH["service"]), index=True)
    channel: Mapped[str] = mapped_column(String(LENGTH["channel"]), index=True)
    conversation_id: Mapped[str] = mapped_column(String(LENGTH["conversation_id"]), index=True)
    received_at: Mapped[datetime] = mapped_column(index=True)
    out_of_hours: Mapped[bool] = mapped_column(Boolean)

    referrer_kind: Mapped[str] = mapped_column(String(LENGTH["referrer_kind"]))
    referrer_id: Mapped[Optional[int]] = mapped_column(ForeignKey("referrers.id"))
    referrer_name: Mapped[Optional[str]] = mapped_column(String(LENGTH["referrer_name"]))
    referrer_profession: Mapped[Optional[str]] = mapped_column(String(LENGTH["referrer_profession"]))
    referrer_registration_body: Mapped[Optional[str]] = mapped_column(String(LENGTH["referrer_registration_body"]))
    referrer_registration_number: Mapped[Optional[str]] = mapped_column(
        String(LENGTH["referrer_registration_number"]))
    referrer_organisation: Mapped[Optional[str]] = mapped_column(String(LENGTH["referrer_organisation"]))
    referrer_relationship: Mapped[Optional[str]] = mapped_column(String(LENGTH["referrer_relationship"]))
    referrer_phone: Mapped[Optional[str]] = mapped_column(String(LENGTH["referrer_phone"]))

    patient_given_name: Mapped[Optional[str]] = mapped_column(String(LENGTH["patient_given_name"]))
    patient_family_name: Mapped[Optional[str]] = mapped_column(String(LENGTH["patient_family_name"]))
    patient_date_of_birth: Mapped[Optional[date]] = mapped_column(Date)
    patient_nhs_number: Mapped[Optional[str]] = mapped_column(String(LENGTH["patient_nhs_number"]))
    patient_address_line: Mapped[Optional[str]] = mapped_column(String(LENGTH["patient_address_line"]))
    patient_postcode: Mapped[Optional[str]] = mapped_column(String(LENGTH["patient_postcode"]))
    patient_phone: Mapped[Optional[str]] = mapped_column(String(LENGTH["patient_phone"]))
    patient_lives_alone: Mapped[Optional[bool]] = mapped_column(Boolean)

    borough_code: Mapped[Optional[str]] = mapped_column(String(LENGTH["borough_code"]), index=True)
    borough_name: Mapped[Optional[str]] = mapped_column(String(LENGTH["borough_name"]))
    routing_contacts: Mapped[list[Any]] = mapped_column(default=list)

    consent: Mapped[Optional[str]] = mapped_column(String(LENGTH["consent"]))
    setting: Mapped[Optional[str]] = mapped_column(String(LENGTH["setting"]))
    expected_discharge_date: Mapped[Optional[date]] = mapped_column(Date)
    reason: Mapped[Optional[str]] = mapped_column(Text)
    difficulties: Mapped[list[Any]] = mapped_column(default=list)
    goals: Mapped[list[Any]] = mapped_column(default=list)
    risks: Mapped[list[Any]] = mapped_column(default=list)
    mental_health_crisis: Mapped[Optional[bool]] = mapped_column(Boolean)
    urgency: Mapped[Optional[str]] = mapped_column(String(LENGTH["urgency"]))

    verification_id: Mapped[Optional[int]] = mapped_column(ForeignKey("verifications.id"))

    referrer: Mapped[Optional[Referrer]] = relationship()
    verification: Mapped[Optional[Verification]] = relationship()


class CallbackState:
    """Where a call back stands (intake_api/callbacks.py changes it): open on the staff's worklist or done, the
    calls tried, when the next is due, and the last outcome recorded. Each outcome is also in the audit log."""

    status: Mapped[str] = mapped_column(String(10), default="open", index=True)  # open, done
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[datetime]
    outcome: Mapped[Optional[str]] = mapped_column(String(20))  # callbacks.OUTCOMES


class CallbackRequest(CallbackState, Base):
    """A caller who asked, out of hours, for the team to call them back (the voice gateway stores it; the number
    never passes through the assistant). One per call."""

    __tablename__ = "callback_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    requested_at: Mapped[datetime] = mapped_column(index=True)
    phone: Mapped[str] = mapped_column(String(20))  # E.164
    call_sid: Mapped[str] = mapped_column(String(64), unique=True)
    service_file: Mapped[str] = mapped_column(String(100))  # the line's service file key ("cis")


class IntakeCallback(CallbackState, Base):
    """The call-back state of an incomplete intake, made when staff first record an outcome for it: before that
    the intake is on the worklist with no attempts, due by the time it was received."""

    __tablename__ = "intake_callbacks"

    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id"), primary_key=True)


class DeclinedContact(Base):
    """Someone the line had to turn away. Deliberately holds no patient identifiers."""

    __tablename__ = "declined_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    reason: Mapped[str] = mapped_column(String(40), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    service: Mapped[Optional[str]] = mapped_column(String(40))
    borough_code: Mapped[Optional[str]] = mapped_column(String(9))
    conversation_id: Mapped[Optional[str]] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(default=now, index=True)


class StaffUser(Base):
    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[Optional[datetime]]
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=now)


class StaffToken(Base):
    """A bearer token for the staff API. Only its SHA-256 is stored."""

    __tablename__ = "staff_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    expires_at: Mapped[datetime]
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    staff_user: Mapped[StaffUser] = relationship()


class AuditEntry(Base):
    """Who did what, when. Never holds a PIN, NHS number or date of birth."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=now, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60))
    referral_id: Mapped[Optional[int]] = mapped_column(ForeignKey("referrals.id"), index=True)
    referrer_id: Mapped[Optional[int]] = mapped_column(ForeignKey("referrers.id"))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class StaffSession(Base):
    """A logged-in staff console session. The cookie holds a random token; only its SHA-256 is stored."""

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    staff_user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=now)
    last_seen_at: Mapped[datetime] = mapped_column(default=now)
    ended_at: Mapped[Optional[datetime]]
    staff_user: Mapped[StaffUser] = relationship()
