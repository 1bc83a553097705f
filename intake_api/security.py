"""Slow salted hashes for PINs and passwords (Argon2id), and random secrets."""
from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verified against when the registration is unknown, so both answers take the same time.
_DECOY = _hasher.hash(secrets.token_hex(8))


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def check_secret(stored_hash: str | None, secret: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DECOY, secret) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_pin() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def new_token() -> str:
    return secrets.token_urlsafe(32)
