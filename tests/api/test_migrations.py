"""The schema comes from Alembic, and the migrations match the models exactly."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from intake_api.models import Base


def test_migrated_schema_matches_the_models(app):
    engine = app.extensions["cis"]["engine"]
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert differences == []
