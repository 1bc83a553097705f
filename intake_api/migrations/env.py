"""Alembic environment: the database comes from the caller (intake_api.migrate) or DATABASE_URL."""
import os

from alembic import context
from sqlalchemy import create_engine

from intake_api.config import from_environment
from intake_api.models import Base, UTCDateTime

config = context.config
url = config.attributes.get("database_url") or os.environ.get("DATABASE_URL") or from_environment()["DATABASE_URL"]


def render_item(kind, obj, autogen_context):
    """Autogenerate writes the UTC type as the plain column it is in the database."""
    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_online() -> None:
    engine = create_engine(url, hide_parameters=True)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata,
                          render_as_batch=connection.dialect.name == "sqlite", compare_type=True,
                          render_item=render_item)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
