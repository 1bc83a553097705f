"""Reading a JSON request body field by field, with a 400 that names what is wrong."""
from __future__ import annotations

import re
from typing import Any

from flask import request

from referral_rules.validation import Invalid, within_list_limits

from .errors import ApiError

_MISSING = object()
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def json_object() -> dict:
    data = request.get_json(silent=True)
    if data is None:
        raise ApiError(400, "malformed_json", "The request body must be a JSON object (Content-Type: application/json).")
    if not isinstance(data, dict):
        raise ApiError(400, "malformed_json", "The request body must be a JSON object.")
    return data


def _get(body: dict, key: str, where: str, required: bool):
    value = body.get(key, _MISSING)
    if value is _MISSING or value is None:
        if required:
            raise ApiError(400, "missing_field", f"{where}{key} is required.", field=where + key)
        return None
    return value


def text(body: dict, key: str, where: str = "", required: bool = True, max_length: int = 2000) -> str | None:
    value = _get(body, key, where, required)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ApiError(400, "wrong_type", f"{where}{key} must be a string.", field=where + key)
    if _CONTROL.search(value):  # PostgreSQL refuses NUL; no answer needs the others
        raise ApiError(400, "invalid_characters", f"{where}{key} contains control characters.", field=where + key)
    value = value.strip()
    if required and not value:
        raise ApiError(400, "missing_field", f"{where}{key} must not be empty.", field=where + key)
    if len(value) > max_length:
        raise ApiError(400, "too_long", f"{where}{key} is longer than {max_length} characters.", field=where + key)
    return value or None


def boolean(body: dict, key: str, where: str = "", required: bool = True) -> bool | None:
    value = _get(body, key, where, required)
    if value is not None and not isinstance(value, bool):
        raise ApiError(400, "wrong_type", f"{where}{key} must be true or false.", field=where + key)
    return value


def obj(body: dict, key: str, where: str = "", required: bool = True) -> dict:
    value = _get(body, key, where, required)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ApiError(400, "wrong_type", f"{where}{key} must be an object.", field=where + key)
    return value


def text_list(body: dict, key: str, where: str = "", required: bool = True) -> list[str]:
    """A list of strings within the case store's limits (validation.MAX_LIST_ITEMS, MAX_LENGTH["list_item"])."""
    value = _get(body, key, where, required)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ApiError(400, "wrong_type", f"{where}{key} must be a list of strings.", field=where + key)
    if any(_CONTROL.search(v) for v in value):
        raise ApiError(400, "invalid_characters", f"{where}{key} contains control characters.", field=where + key)
    items = [v.strip() for v in value if v.strip()]
    if required and not items:
        raise ApiError(400, "missing_field", f"{where}{key} must list at least one item.", field=where + key)
    try:
        return within_list_limits(where + key, items)
    except Invalid as exc:
        raise ApiError(400, exc.code, f"{where}{key}: {exc.message}", field=where + key) from None


def choice(body: dict, key: str, allowed, where: str = "", required: bool = True) -> Any:
    value = text(body, key, where, required)
    if value is not None and value not in allowed:
        raise ApiError(400, "invalid_choice", f"{where}{key} must be one of: {', '.join(allowed)}.", field=where + key)
    return value
