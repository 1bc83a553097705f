"""One UTC type for stored times (models.UTCDateTime): whatever zone a time is given in, the case store keeps
the moment, and gives it back aware in UTC, from SQLite as from PostgreSQL."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select

from intake_api.models import DeclinedContact

LONDON = ZoneInfo("Europe/London")


def _store_and_read(app, at: datetime) -> datetime:
    sessions = app.extensions["cis"]["sessions"]
    with sessions() as db:
        db.add(DeclinedContact(reason="out_of_area", channel="chat", at=at))
        db.commit()
    with sessions() as db:
        return db.scalar(select(DeclinedContact.at).order_by(DeclinedContact.id.desc()))


def test_a_summer_time_is_kept_as_its_moment_and_given_back_in_utc(app):
    summer = datetime(2026, 7, 1, 9, 30, tzinfo=LONDON)  # 08:30 UTC
    stored = _store_and_read(app, summer)
    assert stored.tzinfo == timezone.utc and stored == summer
    assert stored.hour == 8


def test_a_naive_time_is_taken_as_utc(app):
    stored = _store_and_read(app, datetime(2026, 11, 24, 10, 0))
    assert stored == datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)


def test_a_filter_in_local_time_compares_moments(app):
    _store_and_read(app, datetime(2026, 7, 1, 23, 30, tzinfo=timezone.utc))  # 00:30 on 2 July in London
    start_of_2_july = datetime(2026, 7, 2, tzinfo=LONDON)
    with app.extensions["cis"]["sessions"]() as db:
        found = db.scalars(select(DeclinedContact).where(DeclinedContact.at >= start_of_2_july,
                                                         DeclinedContact.at < start_of_2_july + timedelta(days=1)))
        assert len(list(found)) == 1
