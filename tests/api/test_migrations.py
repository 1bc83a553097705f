"""The schema comes from Alembic, and the migrations match the models exactly."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from intake_api.models import Base


def test_migrated_schema_matches_the_models(app):
    engine = app.extensions["cis"]["engine"]
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert differences == []


def test_0004_adds_the_call_back_tables_and_undoes_cleanly(tmp_path):
    from sqlalchemy import create_engine, inspect

    from intake_api.migrate import downgrade, upgrade

    url = f"sqlite:///{tmp_path / 'cis.sqlite3'}"
    upgrade(url)
    engine = create_engine(url)
    try:
        assert {"callback_requests", "intake_callbacks"} <= set(inspect(engine).get_table_names())
        assert [c["column_names"] for c in inspect(engine).get_unique_constraints("callback_requests")] == [
            ["call_sid"]]  # one request per call
        downgrade(url, "0003")
        assert not {"callback_requests", "intake_callbacks"} & set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
