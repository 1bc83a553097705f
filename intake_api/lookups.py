"""Case-store look-ups shared by several endpoints."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Client, Referrer


def find_returning_client(db: Session, nhs_number: str, date_of_birth: date) -> Client | None:
    """The client with this NHS number and date of birth who has had an episode of the service's care, if any."""
    client = db.scalar(select(Client).where(Client.nhs_number == nhs_number))
    if client is None or client.date_of_birth != date_of_birth or not client.episodes:
        return None
    return client


def find_referrer(db: Session, registration_body: str, registration_number: str) -> Referrer | None:
    return db.scalar(select(Referrer).where(Referrer.registration_body == registration_body,
                                            Referrer.registration_number == registration_number))
