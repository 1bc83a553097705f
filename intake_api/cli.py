"""Administration: ``flask --app intake_api <group> <command>`` (see the README)."""
from __future__ import annotations

from datetime import datetime, timedelta

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select, update

from . import validation
from .auth import token_digest
from .clock import now
from .demo import counted
from .lookups import find_referrer
from .migrate import upgrade
from .models import Client, Episode, Referrer, StaffSession, StaffToken, StaffUser
from .security import hash_pin, hash_secret, new_pin, new_token
from .store import audit


def _db():
    return current_app.extensions["cis"]["sessions"]()


def _definition():
    return current_app.extensions["cis"]["service"]


def _valid(fn, *args):
    try:
        return fn(*args)
    except validation.Invalid as exc:
        raise click.BadParameter(exc.message, param_hint=exc.field.replace("_", "-")) from None


db_group = AppGroup("db", help="The case store's schema.")
referrer_group = AppGroup("referrer", help="The referrer directory.")
client_group = AppGroup("client", help="Returning clients and their past CIS episodes.")
staff_group = AppGroup("staff", help="Staff users and staff API tokens.")
demo_group = AppGroup("demo", help="Demo data for trying the service out (never in production).")


@db_group.command("upgrade")
def db_upgrade():
    """Create or migrate the case store to the latest schema."""
    upgrade(current_app.config["DATABASE_URL"])
    click.echo("Case store is at the latest schema.")


def enrol_referrer(db, body, number, name, profession, organisation, ods=None, phone=None, pin=None,
                   pin_hash=None) -> tuple[Referrer, str]:
    """Enrol a referrer; ``pin_hash`` lets the demo give several referrers one known PIN cheaply."""
    body = _valid(validation.registration_body, body)
    professions = _definition().professions
    if profession not in professions:
        raise click.BadParameter(f"must be one of {', '.join(professions)}", param_hint="--profession")
    if body not in professions[profession].registration_bodies:
        raise click.BadParameter(f"a {professions[profession].name} is registered with "
                                 f"{' or '.join(professions[profession].registration_bodies)}", param_hint="--body")
    number = _valid(validation.registration_number, body, number)
    if pin is not None and not (pin.isdigit() and len(pin) == 6):
        raise click.BadParameter("a PIN is 6 digits", param_hint="--pin")
    if find_referrer(db, body, number):
        raise click.ClickException(f"{body} {number} is already enrolled.")
    pin = pin or new_pin()
    referrer = Referrer(registration_body=body, registration_number=number, name=name, profession=profession,
                        organisation=organisation, ods_code=ods, pin_hash=pin_hash or hash_pin(pin),
                        phone=_valid(validation.uk_phone, phone) if phone else None)
    db.add(referrer)
    db.flush()
    audit(db, "cli", "referrer.enrolled", referrer_id=referrer.id, registration_body=body, registration_number=number)
    return referrer, pin


@referrer_group.command("enrol")
@click.option("--body", required=True, help="GMC, NMC, HCPC, GPhC or SWE")
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
    referrer, pin = enrol_referrer(db, body, number, name, profession, organisation, ods, phone, pin)
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
    body = _valid(validation.registration_body, body)
    referrer = find_referrer(db, body, _valid(validation.registration_number, body, number))
    if referrer is None:
        raise click.ClickException(f"No referrer {body} {number}.")
    referrer.active = False
    audit(db, "cli", "referrer.deactivated", referrer_id=referrer.id)
    db.commit()
    click.echo(f"Deactivated {referrer.name} ({body} {referrer.registration_number}).")


def add_episode(db, nhs_number, dob, given_name, family_name, service, ended) -> Client:
    nhs_number = _valid(validation.nhs_number, nhs_number)
    born = _valid(validation.date_of_birth, dob, now().date())
    if service not in _definition().services:
        raise click.BadParameter(f"must be one of {', '.join(_definition().services)}", param_hint="--service")
    client = db.scalar(select(Client).where(Client.nhs_number == nhs_number))
    if client is None:
        client = Client(nhs_number=nhs_number, date_of_birth=born, given_name=given_name, family_name=family_name)
        db.add(client)
    elif client.date_of_birth != born:
        raise click.ClickException("That NHS number is on record with a different date of birth.")
    db.add(Episode(client=client, service=service, ended=ended))
    db.flush()
    audit(db, "cli", "client.episode_added", service=service)
    return client


@client_group.command("add-episode")
@click.option("--nhs-number", required=True)
@click.option("--dob", required=True, type=click.DateTime(["%Y-%m-%d"]), help="YYYY-MM-DD")
@click.option("--given-name", required=True)
@click.option("--family-name", required=True)
@click.option("--service", required=True, help="rapid_response or rehab_reablement")
@click.option("--ended", required=True, type=click.DateTime(["%Y-%m-%d"]), help="YYYY-MM-DD")
def client_add_episode(nhs_number, dob, given_name, family_name, service, ended):
    """Record a past CIS episode, which makes the person a returning client."""
    db = _db()
    client = add_episode(db, nhs_number, dob.date(), given_name, family_name, service, ended.date())
    db.commit()
    click.echo(f"Recorded a {service} episode for {client.given_name} {client.family_name}.")


def add_staff(db, email: str, password: str | None) -> tuple[StaffUser, str]:
    email = email.strip().lower()
    if "@" not in email:
        raise click.BadParameter("must be an email address", param_hint="--email")
    if db.scalar(select(StaffUser).where(StaffUser.email == email)):
        raise click.ClickException(f"{email} is already a staff user.")
    if password is not None and len(password) < 10:
        raise click.BadParameter("must be at least 10 characters", param_hint="--password")
    password = password or new_token()[:16]
    user = StaffUser(email=email, password_hash=hash_secret(password))
    db.add(user)
    db.flush()
    audit(db, "cli", "staff.added", staff_user=email)
    return user, password


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
    user, password = add_staff(db, email, password)
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
    for line in load_demo(db):
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
