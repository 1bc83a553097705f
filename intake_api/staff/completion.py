"""Completing an incomplete intake from the console: a form of the details a complete referral needs, filled in
with what the caller gave, each answer checked by the rules the bot and the API use (referrals.complete)."""
from __future__ import annotations

from datetime import date
from typing import Mapping

from flask import g, redirect, render_template, request, url_for

from referral_rules.clock import now
from referral_rules.contract import FIELDS, label, put

from .. import referrals
from ..errors import ApiError
from ..models import Referral
from ..referral_payload import referral_details, referrer_rule_kind
from ..store import service, session
from . import bp
from .sessions import login_required

# The form's fields (referral_rules.contract's paths), in the order a clinician reads a referral.
FORM_FIELDS = ("service", "patient.given_name", "patient.family_name", "patient.date_of_birth", "patient.nhs_number",
               "patient.address_line", "patient.postcode", "patient.phone", "patient.lives_alone", "consent",
               "setting", "expected_discharge_date", "reason", "difficulties", "goals", "risks",
               "mental_health_crisis", "urgency")
CHOSEN = ("service", "choice", "boolean")  # kinds of field answered by choosing, not typing
YES_NO = {"yes": True, "no": False}


# --- Between the form and a referral's details -------------------------------------------------------------------

def _shown(value) -> str:
    """A stored value as the form shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return str(value)


def form_values(referral: Referral) -> dict[str, str]:
    """What the caller gave, as the form's fields show it."""
    return {path: _shown(getattr(referral, FIELDS[path].column)) for path in FORM_FIELDS}


def details_from(values: Mapping[str, str]) -> dict:
    """The form's answers as a posted referral has them (a field left empty is not given)."""
    data: dict = {}
    for path in FORM_FIELDS:
        field, raw = FIELDS[path], (values.get(path) or "").strip()
        if field.kind == "list":
            value = [line.strip() for line in raw.splitlines() if line.strip()]
        elif field.kind == "boolean":
            value = YES_NO.get(raw)
        else:
            value = raw or None
        if value is not None:
            put(data, field.request_path, value)
    return data


def still_needed(referral: Referral, definition) -> list[str]:
    """What an incomplete intake lacks for a complete referral (or has that no longer passes), as staff read it."""
    _fields, errors = referral_details(details_from(form_values(referral)), definition, now().date(),
                                       referrer_rule_kind(referral.referrer_profession, definition),
                                       identifier_required=False, collect=True)
    return [label(path, definition) for path in FORM_FIELDS if path in errors]


def messages(errors: dict[str, Exception], definition) -> dict[str, str]:
    """Each field's error as the form says it: what to do for a missing answer, else the rule's own words."""
    said = {}
    for path in FORM_FIELDS:
        exc = errors.get(path)
        if exc is None:
            continue
        if isinstance(exc, ApiError) and exc.code == "missing_field":
            field = FIELDS[path]
            verb = "Select" if field.kind in CHOSEN else "Enter"
            # How the line names the field ("the date of birth"), where that names this one field alone.
            what = field.said if field.said and field.slot != "patient_name" else label(path, definition).lower()
            said[path] = f"{verb} {what}"
        else:  # the API's words name the field by its path ("patient.given_name is longer than ..."): by its label
            posted = FIELDS[path].request_path
            text = exc.message.removeprefix(f"{posted}: ")
            said[path] = label(path, definition) + text[len(posted):] if text.startswith(posted) else text
    return said


# --- The pages -----------------------------------------------------------------------------------------------

def _form(referral: Referral, values: dict[str, str], errors: dict[str, str], status: int = 200):
    definition = service()
    return render_template("staff/complete.html", r=referral, values=values, errors=errors, fields=FORM_FIELDS,
                           labels={path: label(path, definition) for path in FORM_FIELDS}, kinds={
                               path: FIELDS[path].kind for path in FORM_FIELDS},
                           choices={path: FIELDS[path].choices or {} for path in FORM_FIELDS},
                           services={key: definition.services[key].name for key in definition.services_for(
                               referrer_rule_kind(referral.referrer_profession, definition))},
                           identifier=definition.patient_identifier.name), status


def _incomplete(referral_id: int) -> Referral:
    referral = referrals.get(session(), referral_id)
    if referral.status != "incomplete":
        raise ApiError(409, "not_incomplete", f"Referral {referral.reference} is {referral.status}, not an "
                                              f"incomplete intake: there is nothing to complete.")
    return referral


@bp.get("/referrals/<int:referral_id>/complete")
@login_required
def complete_form(referral_id: int):
    referral = _incomplete(referral_id)
    referrals.record(session(), g.actor, "referral.viewed", referral, page="complete")
    return _form(referral, form_values(referral), {})


@bp.post("/referrals/<int:referral_id>/complete")
@login_required
def complete_submit(referral_id: int):
    referral = _incomplete(referral_id)
    values = {path: request.form.get(path, "") for path in FORM_FIELDS}
    errors = referrals.complete(session(), referral, details_from(values), service(), g.actor)
    if errors:
        return _form(referral, values, messages(errors, service()), 422)
    return redirect(url_for("staff.referral_page", referral_id=referral.id, completed=1))
