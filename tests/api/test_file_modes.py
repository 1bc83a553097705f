"""The SQLite case store is readable by the service's own user only (0600; a folder made for it 0700)."""
import os
import stat

from sqlalchemy import text

from intake_api.db import make_engine
from intake_api.migrate import upgrade


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_store_and_its_write_ahead_log_are_private(tmp_path):
    old_umask = os.umask(0o022)  # the usual umask, which would leave files world-readable
    try:
        store = tmp_path / "instance" / "cis.sqlite3"
        upgrade(f"sqlite:///{store}")
        assert mode(store.parent) == 0o700
        assert mode(store) == 0o600
        engine = make_engine(f"sqlite:///{store}")
        try:
            with engine.begin() as conn:
                conn.execute(text("INSERT INTO declined_contacts (reason, channel, at) "
                                  "VALUES ('out_of_area', 'chat', '2026-11-24 10:00:00')"))
            assert mode(f"{store}-wal") == 0o600
            assert mode(f"{store}-shm") == 0o600
        finally:
            engine.dispose()
    finally:
        os.umask(old_umask)


def test_a_store_left_readable_by_an_older_run_is_made_private(tmp_path):
    store = tmp_path / "cis.sqlite3"
    upgrade(f"sqlite:///{store}")
    for path in (store, tmp_path / "cis.sqlite3-wal"):
        path.touch()
        path.chmod(0o644)
    make_engine(f"sqlite:///{store}").dispose()
    assert mode(store) == 0o600
    assert mode(tmp_path / "cis.sqlite3-wal") == 0o600
