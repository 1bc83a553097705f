"""Slow salted hashes for PINs and passwords (Argon2id), and random secrets."""
from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# Staff passwords: argon2-cffi's default (RFC 9106 low-memory profile: 64 MiB, 3 passes, 4 lanes).
_password_hasher = PasswordHasher()
# Referrer PINs are checked on every referral, by phone and chat at once: OWASP's recommended Argon2id
# settings (19 MiB, 2 passes, 1 lane) cost a seventh of the CPU. A 6-digit PIN's strength is the lock-out
# after wrong tries, not the hash.
_pin_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
# Verified against when the account is unknown, so both answers take the same time.
_DECOYS = {_password_hasher: _password_hasher.hash(secrets.token_hex(8)),
           _pin_hasher: _pin_hasher.hash(secrets.token_hex(8))}


def hash_secret(secret: str) -> str:
    return _password_hasher.hash(secret)


def hash_pin(pin: str) -> str:
    return _pin_hasher.hash(pin)


def _check(hasher: PasswordHasher, stored_hash: str | None, secret: str) -> bool:
    try:
        return hasher.verify(stored_hash or _DECOYS[hasher], secret) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def check_secret(stored_hash: str | None, secret: str) -> bool:
    return _check(_password_hasher, stored_hash, secret)


def check_pin(stored_hash: str | None, pin: str) -> bool:
    return _check(_pin_hasher, stored_hash, pin)


def new_pin() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def new_token() -> str:
    return secrets.token_urlsafe(32)
