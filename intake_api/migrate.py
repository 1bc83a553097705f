"""Run the Alembic migrations programmatically (``flask --app intake_api db upgrade``, tests)."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from .db import private_sqlite_file

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    if database_url.startswith("sqlite"):
        private_sqlite_file(database_url)  # before Alembic's engine creates it world-readable
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(database_url), revision)
