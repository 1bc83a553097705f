"""The service definition (data/service.yml): read and checked here, and nowhere else.

A broken file raises ``ServiceDefinitionError`` naming the bad field, so start-up stops with
a message a person can act on.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime, time
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = PROJECT_ROOT / "data" / "service.yml"

REFERRER_KINDS = ("health_professional", "social_worker", "returning_client")
REGISTRATION_BODIES = ("GMC", "NMC", "HCPC", "GPhC", "SWE")
ONS_LA_CODE = re.compile(r"^[EWSN]\d{8}$")


class ServiceDefinitionError(ValueError):
    """The service definition file is missing, unreadable or has a bad field."""


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str  # as written for people, e.g. "020 7361 3013"

    def as_dict(self) -> dict:
        return {"name": self.name, "phone": self.phone}


@dataclass(frozen=True)
class Borough:
    code: str
    name: str
    adult_social_care: tuple[Contact, ...]

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name}


@dataclass(frozen=True)
class Service:
    key: str
    name: str
    summary: str
    referrers: tuple[str, ...]


@dataclass(frozen=True)
class Profession:
    key: str
    name: str
    kind: str
    registration_bodies: tuple[str, ...]
    spoken_as: tuple[str, ...] = ()


@dataclass(frozen=True)
class ServiceDefinition:
    name: str
    short_name: str
    referral_line: str
    referral_line_phone: str
    referral_line_option: int
    emergency_number: str
    urgent_advice_number: str
    timezone: ZoneInfo
    opens: time
    closes: time
    services: dict[str, Service]
    professions: dict[str, Profession]
    boroughs: dict[str, Borough]
    lockout_attempts: int
    lockout_minutes: int
    # FHIR export: the identifier system of each registration body, and of the service's own references.
    registration_systems: dict[str, str]
    referral_reference_system: str

    def borough(self, code: str | None) -> Borough | None:
        return self.boroughs.get(code or "")

    def is_open(self, moment: datetime) -> bool:
        local = moment.astimezone(self.timezone).time()
        return self.opens <= local < self.closes

    def services_for(self, referrer_kind: str) -> list[str]:
        """Service keys a referrer of this kind may refer to, in file order."""
        return [key for key, svc in self.services.items() if referrer_kind in svc.referrers]

    def profession_in(self, text: str) -> Profession | None:
        """The profession a caller names in free text ("district nurse here"), longest match first."""
        words = " " + re.sub(r"[^a-z0-9 ]+", " ", text.lower()) + " "
        singular = re.sub(r"\b(\w{2,})s\b", r"\1", words)  # "one of the district nurses"
        candidates = [(len(phrase), p) for p in self.professions.values()
                      for phrase in (p.name.lower(), *p.spoken_as) if f" {phrase} " in words + singular]
        return max(candidates, key=lambda c: c[0])[1] if candidates else None

    def registered_only_with(self, body: str) -> list[Profession]:
        """The roles whose registration is with ``body`` alone (NMC: nurse; GMC: GP or hospital doctor)."""
        return [p for p in self.professions.values() if p.registration_bodies == (body,)]

    def may_refer(self, referrer_kind: str, service: str) -> bool:
        svc = self.services.get(service)
        return svc is not None and referrer_kind in svc.referrers


class _Reader:
    """Walks the YAML, remembering the path of each field for error messages."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, where: str, problem: str) -> ServiceDefinitionError:
        return ServiceDefinitionError(f"{self.source}: {where}: {problem}")

    def mapping(self, value, where: str) -> dict:
        if not isinstance(value, dict) or not value:
            raise self.fail(where, "must be a non-empty mapping")
        return value

    def text(self, parent: dict, key: str, where: str) -> str:
        value = parent.get(key)
        if value is None or isinstance(value, (dict, list)) or str(value).strip() == "":
            raise self.fail(f"{where}.{key}", "is missing or empty")
        return str(value).strip()

    def clock_time(self, parent: dict, key: str, where: str) -> time:
        value = self.text(parent, key, where)
        if not re.fullmatch(r"\d{2}:\d{2}", value):
            raise self.fail(f"{where}.{key}", f"{value!r} is not a time like 08:00")
        try:
            return time.fromisoformat(value)
        except ValueError:
            raise self.fail(f"{where}.{key}", f"{value!r} is not a time of day") from None

    def phone(self, parent: dict, key: str, where: str) -> str:
        value = self.text(parent, key, where)
        try:
            ok = phonenumbers.is_valid_number(phonenumbers.parse(value, "GB"))
        except phonenumbers.NumberParseException:
            ok = False
        if not ok and not re.fullmatch(r"\d{3}", value):
            raise self.fail(f"{where}.{key}", f"{value!r} is not a valid UK phone number")
        return value

    def uri(self, parent: dict, key: str, where: str) -> str:
        value = self.text(parent, key, where)
        if not re.fullmatch(r"https://\S+", value):
            raise self.fail(f"{where}.{key}", f"{value!r} is not an https:// identifier system")
        return value

    def positive_int(self, parent: dict, key: str, where: str) -> int:
        value = parent.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise self.fail(f"{where}.{key}", "must be a whole number of at least 1")
        return value

    def choices(self, parent: dict, key: str, where: str, allowed) -> tuple[str, ...]:
        value = parent.get(key)
        if not isinstance(value, list) or not value:
            raise self.fail(f"{where}.{key}", "must be a non-empty list")
        for item in value:
            if item not in allowed:
                raise self.fail(f"{where}.{key}", f"{item!r} is not one of {', '.join(allowed)}")
        return tuple(value)


def _contact(r: _Reader, raw, where: str) -> Contact:
    entry = r.mapping(raw, where)
    return Contact(r.text(entry, "name", where), r.phone(entry, "phone", where))


def parse(raw, source: str = "service definition") -> ServiceDefinition:
    r = _Reader(source)
    top = r.mapping(raw, "file")
    svc = r.mapping(top.get("service"), "service")
    tz_name = r.text(top, "timezone", "file")
    try:
        tz = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise r.fail("timezone", f"{tz_name!r} is not a known time zone") from None
    hours = r.mapping(top.get("opening_hours"), "opening_hours")
    opens = r.clock_time(hours, "opens", "opening_hours")
    closes = r.clock_time(hours, "closes", "opening_hours")
    if closes <= opens:
        raise r.fail("opening_hours.closes", "must be later than opens")

    services = {}
    for key, entry in r.mapping(top.get("services"), "services").items():
        where = f"services.{key}"
        entry = r.mapping(entry, where)
        services[key] = Service(key, r.text(entry, "name", where), r.text(entry, "summary", where),
                                r.choices(entry, "referrers", where, REFERRER_KINDS))

    professions = {}
    for key, entry in r.mapping(top.get("professions"), "professions").items():
        where = f"professions.{key}"
        entry = r.mapping(entry, where)
        kind = r.text(entry, "kind", where)
        if kind not in REFERRER_KINDS[:2]:
            raise r.fail(f"{where}.kind", f"{kind!r} is not health_professional or social_worker")
        spoken = entry.get("spoken_as", [])
        if not isinstance(spoken, list) or not all(isinstance(w, str) and w.strip() for w in spoken):
            raise r.fail(f"{where}.spoken_as", "must be a list of words or phrases")
        professions[key] = Profession(key, r.text(entry, "name", where), kind,
                                      r.choices(entry, "registration_bodies", where, REGISTRATION_BODIES),
                                      tuple(w.strip().lower() for w in spoken))

    boroughs = {}
    raw_boroughs = top.get("boroughs")
    if not isinstance(raw_boroughs, list) or not raw_boroughs:
        raise r.fail("boroughs", "must be a non-empty list")
    for i, entry in enumerate(raw_boroughs):
        where = f"boroughs[{i}]"
        entry = r.mapping(entry, where)
        code = r.text(entry, "code", where)
        if not ONS_LA_CODE.fullmatch(code):
            raise r.fail(f"{where}.code", f"{code!r} is not an ONS local authority code like E09000020")
        contacts = entry.get("adult_social_care")
        if not isinstance(contacts, list) or not contacts:
            raise r.fail(f"{where}.adult_social_care", "must be a non-empty list")
        boroughs[code] = Borough(code, r.text(entry, "name", where), tuple(
            _contact(r, c, f"{where}.adult_social_care[{j}]") for j, c in enumerate(contacts)))

    lockout = r.mapping(top.get("referrer_lockout"), "referrer_lockout")
    fhir = r.mapping(top.get("fhir"), "fhir")
    systems = r.mapping(fhir.get("registration_identifier_systems"), "fhir.registration_identifier_systems")
    registration_systems = {body: r.uri(systems, body, "fhir.registration_identifier_systems")
                            for body in REGISTRATION_BODIES}
    return ServiceDefinition(
        name=r.text(svc, "name", "service"),
        short_name=r.text(svc, "short_name", "service"),
        referral_line=r.text(svc, "referral_line", "service"),
        referral_line_phone=r.phone(svc, "referral_line_phone", "service"),
        referral_line_option=r.positive_int(svc, "referral_line_option", "service"),
        emergency_number=r.text(svc, "emergency_number", "service"),
        urgent_advice_number=r.text(svc, "urgent_advice_number", "service"),
        timezone=tz, opens=opens, closes=closes,
        services=services, professions=professions, boroughs=boroughs,
        lockout_attempts=r.positive_int(lockout, "failed_attempts", "referrer_lockout"),
        lockout_minutes=r.positive_int(lockout, "minutes", "referrer_lockout"),
        registration_systems=registration_systems,
        referral_reference_system=r.uri(fhir, "referral_reference_system", "fhir"),
    )


def load(path: str | Path | None = None) -> ServiceDefinition:
    """Read the file named by ``path``, else ``SERVICE_DEFINITION``, else data/service.yml."""
    path = Path(path or os.environ.get("SERVICE_DEFINITION") or DEFAULT_PATH)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ServiceDefinitionError(f"{path}: cannot be read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise ServiceDefinitionError(f"{path}: is not valid YAML ({exc})") from None
    return parse(raw, str(path))


@lru_cache(maxsize=None)
def load_cached(path: str | None = None) -> ServiceDefinition:
    return load(path)
