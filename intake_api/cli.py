"""Administration: ``flask --app intake_api <group> <command>`` (see the README)."""
from __future__ import annotations

from datetime import datetime, timedelta

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select, update

from referral_rules import validation
from referral_rules.clock import now

from .auth import token_digest
from .demo import counted
from .directory import Refused, add_episode, add_staff, enrol_referrer
from .lookups import find_referrer
from .migrate import upgrade
from .models import StaffSession, StaffToken, StaffUser
from .security import new_token
from .store import audit, service


def _db():
    return current_app.extensions["cis"]["sessions"]()


def _done(fn, *args):
    """``fn(*args)``, with a refusal or a failed rule turned into click's error (the only place click's are made)."""
    try:
        return fn(*args)
    except validation.Invalid as exc:
        raise click.BadParameter(exc.message, param_hint=exc.field.replace("_", "-")) from None
    except Refused as exc:
        if exc.option:
            raise click.BadParameter(exc.message, param_hint=exc.option) from None
        raise click.ClickException(exc.message) from None


db_group = AppGroup("db", help="The case store's schema.")
referrer_group = AppGroup("referrer", help="The referrer directory.")
client_group = AppGroup("client", help="Returning clients and their past episodes of the service.")
staff_group = AppGroup("staff", help="Staff users and staff API tokens.")
demo_group = AppGroup("demo", help="Demo data for trying the service out (never in production).")


@db_group.command("upgrade")
def db_upgrade():
    """Create or migrate the case store to the latest schema."""
    upgrade(current_app.config["DATABASE_URL"])
    click.echo("Case store is at the latest schema.")


@referrer_group.command("enrol")
@click.option("--body", required=True, help="a registration body from the service definition, e.g. GMC")
@click.option("--number", required=True, help="registration number")
@click.option("--name", required=True)
@click.option("--profession", required=True, help="a profession key from the service definition, e.g. gp")
@click.option("--organisation", required=True)
@click.option("--ods", default=None, help="the organisation's ODS code")
@click.option("--phone", default=None, help="a callback number")
@click.option("--pin", default=None, help="6 digits; generated and printed when left out")
def referrer_enrol(body, number, name, profession, organisation, ods, phone, pin):
    """Enrol a professional referrer."""
    db = _db()
    generated = pin is None
    referrer, pin = _done(enrol_referrer, db, service(), body, number, name, profession, organisation, ods, phone,
                          pin)
    db.commit()
    click.echo(f"Enrolled {referrer.name} ({referrer.registration_body} {referrer.registration_number}).")
    if generated:
        click.echo(f"PIN: {pin}  (give it to the referrer; it is stored only as a hash)")


@referrer_group.command("deactivate")
@click.option("--body", required=True)
@click.option("--number", required=True)
def referrer_deactivate(body, number):
    """Stop a referrer from verifying."""
    db = _db()
    body = _done(validation.registration_body, body, service().registration_bodies)
    referrer = find_referrer(db, body, _done(validation.registration_number, body, number))
    if referrer is None:
        raise click.ClickException(f"No referrer {body} {number}.")
    referrer.active = False
    audit(db, "cli", "referrer.deactivated", referrer_id=referrer.id)
    db.commit()
    click.echo(f"Deactivated {referrer.name} ({body} {referrer.registration_number}).")


@client_group.command("add-episode")
@click.option("--nhs-number", required=True, help="the patient identifier: NHS number, or CHI number in Scotland")
@click.option("--dob", required=True, type=click.DateTime(["%Y-%m-%d"]), help="YYYY-MM-DD")
@click.option("--given-name", required=True)
@click.option("--family-name", required=True)
@click.option("--service", "service_key", required=True, help="a service key from the service definition")
@click.option("--ended", required=True, type=click.DateTime(["%Y-%m-%d"]), help="YYYY-MM-DD")
def client_add_episode(nhs_number, dob, given_name, family_name, service_key, ended):
    """Record a past episode of the service, which makes the person a returning client."""
    db = _db()
    client = _done(add_episode, db, service(), nhs_number, dob.date(), given_name, family_name, service_key,
                   ended.date())
    db.commit()
    click.echo(f"Recorded a {service_key} episode for {client.given_name} {client.family_name}.")


def _staff_user(db, email: str) -> StaffUser:
    user = db.scalar(select(StaffUser).where(StaffUser.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"No staff user {email}.")
    return user


def issue_token(db, email: str) -> tuple[str, datetime]:
    """A new staff API token for an active user, and when it expires (STAFF_TOKEN_HOURS from now)."""
    user = db.scalar(select(StaffUser).where(StaffUser.email == email.strip().lower()))
    if user is None or not user.active:
        raise click.ClickException(f"No active staff user {email}.")
    token, issued = new_token(), now()
    expires = issued + timedelta(hours=current_app.config["STAFF_TOKEN_HOURS"])
    db.add(StaffToken(staff_user_id=user.id, token_sha256=token_digest(token), created_at=issued, expires_at=expires))
    audit(db, "cli", "staff.token_issued", staff_user=user.email, expires_at=expires.isoformat())
    return token, expires


def revoke_tokens(db, user: StaffUser) -> int:
    """Revoke every live token of ``user``; how many there were."""
    return db.execute(update(StaffToken).where(StaffToken.staff_user_id == user.id, StaffToken.revoked.is_(False))
                      .values(revoked=True)).rowcount


@staff_group.command("add")
@click.option("--email", required=True)
@click.option("--password", default=None, help="at least 10 characters; generated and printed when left out")
def staff_add(email, password):
    """Add a staff user."""
    db = _db()
    generated = password is None
    user, password = _done(add_staff, db, email, password)
    db.commit()
    click.echo(f"Added staff user {user.email}.")
    if generated:
        click.echo(f"Password: {password}")


# `staff token --email E` issues a token (and prints only the token, for scripts); `staff token revoke ...`
# takes tokens back. A group that runs its own callback when no subcommand follows keeps both command lines.
@staff_group.group("token", invoke_without_command=True)
@click.option("--email", default=None, help="issue a token for this staff user")
@with_appcontext  # a group's own callback gets no app context from AppGroup
@click.pass_context
def staff_token(ctx, email):
    """Issue a bearer token for the staff API (printed once; only its hash is kept), or revoke tokens."""
    if ctx.invoked_subcommand is not None:
        if email is not None:
            raise click.UsageError("--email goes after the subcommand: staff token revoke --email ...")
        return
    if email is None:
        raise click.UsageError("Give --email to issue a token, or use: staff token revoke --email/--token.")
    db = _db()
    token, expires = issue_token(db, email)
    db.commit()
    click.echo(token)
    click.echo(f"Expires {expires.isoformat(timespec='minutes')}.", err=True)


@staff_token.command("revoke")
@click.option("--email", default=None, help="revoke every token of this staff user")
@click.option("--token", default=None, help="revoke this one token")
def staff_token_revoke(email, token):
    """Revoke a staff user's tokens, or one token; they are refused from then on."""
    if (email is None) == (token is None):
        raise click.UsageError("Give either --email or --token.")
    db = _db()
    if email is not None:
        user = _staff_user(db, email)
        count = revoke_tokens(db, user)
        audit(db, "cli", "staff.tokens_revoked", staff_user=user.email, tokens=count)
        message = f"Revoked {counted(count, 'token')} of {user.email}."
    else:
        row = db.scalar(select(StaffToken).where(StaffToken.token_sha256 == token_digest(token.strip())))
        if row is None:
            raise click.ClickException("No such staff token.")
        row.revoked = True
        audit(db, "cli", "staff.token_revoked", staff_user=row.staff_user.email, token_id=row.id)
        message = f"Revoked that token of {row.staff_user.email}."
    db.commit()
    click.echo(message)


@staff_group.command("deactivate")
@click.option("--email", required=True)
def staff_deactivate(email):
    """Stop a staff user: no log-in, their console sessions ended, their tokens revoked."""
    db = _db()
    user = _staff_user(db, email)
    user.active = False
    ended = db.execute(update(StaffSession).where(StaffSession.staff_user_id == user.id,
                                                  StaffSession.ended_at.is_(None)).values(ended_at=now())).rowcount
    revoked = revoke_tokens(db, user)
    audit(db, "cli", "staff.deactivated", staff_user=user.email, sessions_ended=ended, tokens_revoked=revoked)
    db.commit()
    click.echo(f"Deactivated {user.email}: {counted(ended, 'console session')} ended, "
               f"{counted(revoked, 'token')} revoked.")


def _not_in_production(what: str) -> None:
    if current_app.config["CIS_ENV"] == "production":
        raise click.ClickException(f"CIS_ENV=production: {what} is for local demonstrations only.")


@demo_group.command("load")
@click.option("--allow-non-sqlite", is_flag=True, help="load into a non-SQLite case store anyway")
def demo_load(allow_non_sqlite):
    """Demo referrers, returning clients and a staff user, printed with their credentials (never production)."""
    from .demo import load_demo

    _not_in_production("demo data")
    if not current_app.config["DATABASE_URL"].startswith("sqlite") and not allow_non_sqlite:
        raise click.ClickException("Demo data goes into a local SQLite case store only; this DATABASE_URL looks "
                                   "like a real deployment (use --allow-non-sqlite for a throw-away database).")
    db = _db()
    for line in _done(load_demo, db, service()):
        click.echo(line)
    db.commit()


@demo_group.command("remove")
def demo_remove():
    """Delete the demo rows; a demo referrer that referrals name is deactivated instead (the record stays)."""
    from .demo import remove_demo

    db = _db()
    for line in remove_demo(db):
        click.echo(line)
    db.commit()


def register(app: Flask) -> None:
    for group in (db_group, referrer_group, client_group, staff_group, demo_group):
        app.cli.add_command(group)
