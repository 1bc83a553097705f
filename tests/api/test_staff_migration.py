"""Migration 0002 adds the staff console's sessions table, and undoes cleanly."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from intake_api.migrate import downgrade, upgrade
from intake_api.models import Base


def test_0002_adds_staff_sessions_and_the_schema_equals_the_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'cis.sqlite3'}"
    upgrade(url, "0001")
    engine = create_engine(url)
    try:
        assert "staff_sessions" not in inspect(engine).get_table_names()
        upgrade(url)
        with engine.connect() as conn:
            assert "staff_sessions" in inspect(conn).get_table_names()
            assert compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                    Base.metadata) == []
        downgrade(url, "0001")
        assert "staff_sessions" not in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_the_migrated_test_database_has_staff_sessions(app):
    assert "staff_sessions" in inspect(app.extensions["cis"]["engine"]).get_table_names()
