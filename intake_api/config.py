"""Configuration from the environment (names in SPEC section 3)."""
import os
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"
ENVIRONMENTS = ("development", "production")


def from_environment() -> dict:
    environment = _environment()
    return {
        # development (the default): `make run` on one machine. production: the service refuses to start with
        # demo accounts, generated or weak secrets, or a test clock (intake_api/production.py).
        "CIS_ENV": environment,
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / _store_name()}",
        "INTAKE_SERVICE_TOKEN": os.environ.get("INTAKE_SERVICE_TOKEN", ""),
        "TWILIO_AUTH_TOKEN": os.environ.get("TWILIO_AUTH_TOKEN", ""),
        # The action server's own secret (Rasa presents it); the API only checks, in production, that it is a
        # real one.
        "ACTION_SERVER_TOKEN": os.environ.get("ACTION_SERVER_TOKEN", ""),
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        "RASA_PUBLIC_URL": os.environ.get("RASA_PUBLIC_URL", ""),
        "SPR_STAFF_NUMBER": os.environ.get("SPR_STAFF_NUMBER", ""),
        "SERVICE_DEFINITION": os.environ.get("SERVICE_DEFINITION") or None,
        # A key made up per process would differ between processes: production must set one.
        "SECRET_KEY": os.environ.get("SECRET_KEY") or ("" if environment == "production" else os.urandom(32).hex()),
        # What `make run` generated (scripts/run-local); production refuses any secret found in it.
        "GENERATED_SECRETS_FILE": INSTANCE_DIR / "local.env",
        # Staff console: a session left idle this long must log in again.
        "STAFF_SESSION_IDLE_MINUTES": _minutes("STAFF_SESSION_IDLE_MINUTES", 30),
        # The staff console's queue asks for new referrals this often (it does not keep a session alive).
        "STAFF_QUEUE_POLL_SECONDS": _whole_number("STAFF_QUEUE_POLL_SECONDS", 15, "seconds"),
        # A staff API token (flask staff token) is accepted for this long after it is issued.
        "STAFF_TOKEN_HOURS": _whole_number("STAFF_TOKEN_HOURS", 12, "hours"),
        # A PIN or returning-client check recorded for a conversation is good for this long.
        "VERIFICATION_MINUTES": _minutes("VERIFICATION_MINUTES", 120),
        # Rate limits' counters: in this process, or shared (redis://host:6379) when scaled out.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI") or "memory://",
        # No request body is bigger than this (a referral with a 4,000-character reason is about 10 KB);
        # Flask answers 413 at once. The voice gateway takes much less (voice/routes.py).
        "MAX_CONTENT_LENGTH": 64 * 1024,
    }


def _store_name() -> str:
    """One local case store per service file: instance/cis.sqlite3, instance/west-lothian.sqlite3."""
    return Path(os.environ.get("SERVICE_DEFINITION") or "cis.yml").stem + ".sqlite3"


def _environment() -> str:
    raw = os.environ.get("CIS_ENV", "").strip() or "development"
    if raw not in ENVIRONMENTS:
        raise ValueError(f"CIS_ENV={raw!r} must be one of {', '.join(ENVIRONMENTS)}")
    return raw


def _minutes(name: str, default: int) -> int:
    return _whole_number(name, default, "minutes")


def _whole_number(name: str, default: int, unit: str) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{name}={raw!r} must be a whole number of {unit}, at least 1")
    return int(raw)
