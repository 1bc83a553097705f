"""CIS_ENV=production: the service refuses to start on a set-up that is only fit for a demonstration.

Refused: a usable demo row (demo staff user, active demo referrer, demo client with an episode); a secret that is
unset, shorter than 32 characters, or one that `make run` generated into instance/local.env; a test clock
(CIS_NOW).

Where it runs: the application factory is called both to serve (``waitress-serve --call intake_api:create_app``,
``flask run``) and by ``flask --app intake_api <command>`` for administration. Administration must keep working
on a production store: ``db upgrade`` on a store with no tables yet, ``demo remove`` on one that still holds
demo rows. So the settings are checked every time, but the case store only when the app is built to serve
requests. Built by the ``flask`` command line, the app is made inside a click context that carries Flask's
ScriptInfo; every command but ``run`` administers. A startup check at create time (rather than at the first
request) means a refused service never listens at all.
"""
from __future__ import annotations

import os
from pathlib import Path

import click
from flask import Flask
from flask.cli import ScriptInfo
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from .demo import counted
from .models import Client, Episode, Referrer, StaffUser

SECRETS = ("INTAKE_SERVICE_TOKEN", "TWILIO_AUTH_TOKEN", "SECRET_KEY", "ACTION_SERVER_TOKEN")
SHORTEST_SECRET = 32


def check(app: Flask, engine: Engine) -> None:
    """Raise RuntimeError naming every problem, if CIS_ENV=production and there are any."""
    if app.config.get("CIS_ENV") != "production":
        return
    problems = settings_problems(app.config)
    if _serving():
        problems += case_store_problems(engine)
    if problems:
        raise RuntimeError("CIS_ENV=production: the service will not start:\n" +
                           "\n".join(f"  - {problem}" for problem in problems))


def settings_problems(config) -> list[str]:
    generated = _generated_values(Path(config["GENERATED_SECRETS_FILE"]))
    problems = []
    for name in SECRETS:
        value = config.get(name) or ""
        if not value:
            problems.append(f"{name} is not set")
        elif len(value) < SHORTEST_SECRET:
            problems.append(f"{name} is shorter than {SHORTEST_SECRET} characters")
        elif value in generated:
            problems.append(f"{name} is a value `make run` generated (in {config['GENERATED_SECRETS_FILE']}): "
                            f"set a secret of the deployment's own")
    if os.environ.get("CIS_NOW", "").strip():
        problems.append("CIS_NOW is set: the clock is fixed, for tests and demos only")
    return problems


def case_store_problems(engine: Engine) -> list[str]:
    try:
        with Session(engine) as db:
            counts = {
                "demo staff user": db.scalar(select(func.count()).where(StaffUser.demo)),
                "active demo referrer": db.scalar(select(func.count()).where(Referrer.demo, Referrer.active)),
                "demo returning client": db.scalar(select(func.count(func.distinct(Client.id)))
                                                   .join(Episode, Episode.client_id == Client.id)
                                                   .where(Client.demo)),
            }
    except SQLAlchemyError as exc:
        return [f"the case store could not be read ({type(exc).__name__}): is it migrated? "
                f"(flask --app intake_api db upgrade)"]
    found = [counted(count, what) for what, count in counts.items() if count]
    if not found:
        return []
    return [f"the case store holds demo accounts ({', '.join(found)}): flask --app intake_api demo remove"]


def _generated_values(path: Path) -> set[str]:
    """The values in the NAME=value file scripts/run-local writes; none if there is no such file."""
    try:
        lines = path.read_text().splitlines()
    except OSError:
        return set()
    return {value.strip() for _name, sep, value in (line.partition("=") for line in lines) if sep and value.strip()}


def _serving() -> bool:
    context = click.get_current_context(silent=True)
    if context is None or context.find_object(ScriptInfo) is None:
        return True  # a WSGI server calling the factory (waitress-serve --call intake_api:create_app)
    return context.command.name == "run"  # flask run serves too
