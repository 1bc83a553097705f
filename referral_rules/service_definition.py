"""The service definition (a file under data/services/, chosen by SERVICE_DEFINITION): read and checked here,
and nowhere else.

A broken file raises ``ServiceDefinitionError`` naming the bad field, so start-up stops with
a message a person can act on.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
import yaml

from . import validation

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = PROJECT_ROOT / "data" / "services" / "cis.yml"

REFERRER_KINDS = ("health_professional", "social_worker", "returning_client")
PATIENT_IDENTIFIERS = {"nhs_number": "NHS number", "chi_number": "CHI number"}
ALWAYS_OPEN = "24/7"
ONS_LA_CODE = re.compile(r"^[EWSN]\d{8}$")
POSTCODE_AREA = re.compile(r"^[A-Z]{1,2}$")
TOP_LEVEL = ("service", "timezone", "opening_hours", "patient_identifier", "public", "services",
             "registration_bodies", "professions", "local_hospitals", "postcode_areas", "boroughs", "callers_told",
             "referrer_lockout", "callback_within_minutes", "fhir", "demo")


class ServiceDefinitionError(ValueError):
    """The service definition file is missing, unreadable or has a bad field."""


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str | None  # as written for people, e.g. "020 7946 0000"; None where no number is published

    def as_dict(self) -> dict:
        return {"name": self.name, "phone": self.phone}


@dataclass(frozen=True)
class Borough:
    code: str
    name: str
    adult_social_care: tuple[Contact, ...]  # may be empty: none published

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name}


@dataclass(frozen=True)
class Service:
    """``spoken_as`` and ``mention`` are as the bot's matcher reads a caller: lower case, punctuation as spaces."""
    key: str
    name: str
    summary: str
    referrers: tuple[str, ...]
    spoken_as: tuple[str, ...] = ()  # words that choose it when asked which service
    mention: tuple[str, ...] = ()    # its own names, which count when said before the question
    urgent_response: bool = False    # a same-day service: the console marks and announces its new referrals


@dataclass(frozen=True)
class Profession:
    key: str
    name: str
    kind: str
    registration_bodies: tuple[str, ...]
    spoken_as: tuple[str, ...] = ()


@dataclass(frozen=True)
class RegistrationBody:
    code: str         # GMC, NMC, HCPC, GPhC, SWE, SSSC (their number formats: validation._REGISTRATION)
    name: str         # "General Medical Council"
    fhir_system: str  # the identifier system of its registration numbers


@dataclass(frozen=True)
class PatientIdentifier:
    scheme: str       # "nhs_number" or "chi_number": validation.patient_identifier checks it
    name: str         # "NHS number", "CHI number": as callers are asked for it
    digits: int
    fhir_system: str


@dataclass(frozen=True)
class CallersTold:
    """What callers are told when they ask, in the service's own words (actions/answers.py)."""
    what_happens_next: str
    who_will_call: str
    where_seen: str


@dataclass(frozen=True)
class PublicAccess:
    may_refer: bool   # may members of the public refer a returning client at all (services' referrers say to what)


@dataclass(frozen=True)
class DemoReferrer:
    registration_body: str
    registration_number: str
    name: str
    profession: str
    organisation: str
    ods_code: str | None
    phone: str | None


@dataclass(frozen=True)
class DemoClient:
    identifier: str   # in the service's patient identifier scheme
    date_of_birth: date
    given_name: str
    family_name: str
    service: str
    episode_ended: date


@dataclass(frozen=True)
class DemoData:
    """What ``flask demo load`` puts in a local case store. Empty when the file has no ``demo:`` section."""
    referrers: tuple[DemoReferrer, ...] = ()
    clients: tuple[DemoClient, ...] = ()
    staff_email: str | None = None


@dataclass(frozen=True)
class ServiceDefinition:
    key: str                    # the file's name without .yml ("cis"): which line a stored call-back request is for
    name: str
    short_name: str
    referral_line: str
    referral_line_phone: str
    referral_line_option: int
    emergency_number: str
    urgent_advice_number: str
    transfer_phone: str | None  # where "speak to a person" is put through on the telephone
    timezone: ZoneInfo
    always_open: bool
    opens: time | None          # None when always open
    closes: time | None
    patient_identifier: PatientIdentifier
    public: PublicAccess
    services: dict[str, Service]
    registration_bodies: dict[str, RegistrationBody]
    professions: dict[str, Profession]
    local_hospitals: tuple[str, ...]  # lower case, as the bot's matcher reads a caller
    postcode_areas: tuple[str, ...]   # the area's postcode areas ("EH"), loaded at start-up
    boroughs: dict[str, Borough]
    callers_told: CallersTold
    lockout_attempts: int
    lockout_minutes: int
    callback_within_minutes: int  # a call back is due this long after the request, counting opening hours only
    # FHIR export: the identifier system of each registration body, and of the service's own references.
    registration_systems: dict[str, str]
    referral_reference_system: str
    demo: DemoData

    @property
    def area_name(self) -> str:
        """The whole area as callers are told it: the boroughs' names joined with "and"."""
        return " and ".join(b.name for b in self.boroughs.values())

    def borough(self, code: str | None) -> Borough | None:
        return self.boroughs.get(code or "")

    def is_open(self, moment: datetime) -> bool:
        if self.always_open:
            return True
        local = moment.astimezone(self.timezone).time()
        return self.opens <= local < self.closes

    def next_opening(self, moment: datetime) -> datetime:
        """``moment`` itself while the line is open, else the next time it opens (in ``moment``'s zone)."""
        if self.is_open(moment):
            return moment
        local = moment.astimezone(self.timezone)
        day = local.date() if local.time() < self.opens else local.date() + timedelta(days=1)
        return datetime.combine(day, self.opens, self.timezone).astimezone(moment.tzinfo)

    def callback_due(self, moment: datetime) -> datetime:
        """When a call back asked for (or owed) at ``moment`` is due: ``callback_within_minutes`` of the line's
        opening hours later. Time when the line is closed does not count: asked at night, it is due that long
        after the line opens; asked just before closing, the rest of the allowance runs from the next opening.
        A line that is always open: ``moment`` plus the allowance."""
        left = timedelta(minutes=self.callback_within_minutes)
        start = self.next_opening(moment)
        while not self.always_open:
            local = start.astimezone(self.timezone)
            closing = datetime.combine(local.date(), self.closes, self.timezone).astimezone(start.tzinfo)
            if start + left <= closing:
                break
            left -= closing - start
            start = self.next_opening(closing)
        return start + left

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


def spoken(text: str) -> str:
    """A phrase as the bot's matcher reads a caller's words: "Mary's" -> "mary s", "24/7" -> "24 7"."""
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", text.lower()).split())


def _field(where: str, key: str) -> str:
    """The path of a field for an error message: "service.name", or "timezone" at the top of the file."""
    return key if where == "file" else f"{where}.{key}"


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
            raise self.fail(_field(where, key), "is missing or empty")
        return str(value).strip()

    def optional_text(self, parent: dict, key: str, where: str) -> str | None:
        return self.text(parent, key, where) if parent.get(key) is not None else None

    def clock_time(self, parent: dict, key: str, where: str) -> time:
        value = self.text(parent, key, where)
        if not re.fullmatch(r"\d{2}:\d{2}", value):
            raise self.fail(_field(where, key), f"{value!r} is not a time like 08:00")
        try:
            return time.fromisoformat(value)
        except ValueError:
            raise self.fail(_field(where, key), f"{value!r} is not a time of day") from None

    def phone(self, parent: dict, key: str, where: str) -> str:
        value = self.text(parent, key, where)
        try:
            ok = phonenumbers.is_valid_number(phonenumbers.parse(value, "GB"))
        except phonenumbers.NumberParseException:
            ok = False
        if not ok and not re.fullmatch(r"\d{3}", value):
            raise self.fail(_field(where, key), f"{value!r} is not a valid UK phone number")
        return value

    def optional_phone(self, parent: dict, key: str, where: str) -> str | None:
        return self.phone(parent, key, where) if parent.get(key) is not None else None

    def uri(self, parent: dict, key: str, where: str) -> str:
        value = self.text(parent, key, where)
        if not re.fullmatch(r"https://\S+", value):
            raise self.fail(_field(where, key), f"{value!r} is not an https:// identifier system")
        return value

    def positive_int(self, parent: dict, key: str, where: str) -> int:
        value = parent.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise self.fail(_field(where, key), "must be a whole number of at least 1")
        return value

    def flag(self, parent: dict, key: str, where: str) -> bool:
        value = parent.get(key)
        if not isinstance(value, bool):
            raise self.fail(_field(where, key), "must be true or false")
        return value

    def day(self, parent: dict, key: str, where: str) -> date:
        value = parent.get(key)
        if isinstance(value, datetime) or not isinstance(value, (date, str)):
            raise self.fail(_field(where, key), "must be a date like 1941-03-07")
        try:
            return value if isinstance(value, date) else date.fromisoformat(value.strip())
        except ValueError:
            raise self.fail(_field(where, key), f"{value!r} is not a date like 1941-03-07") from None

    def choices(self, parent: dict, key: str, where: str, allowed) -> tuple[str, ...]:
        value = parent.get(key)
        if not isinstance(value, list) or not value:
            raise self.fail(_field(where, key), "must be a non-empty list")
        for item in value:
            if item not in allowed:
                raise self.fail(_field(where, key), f"{item!r} is not one of {', '.join(allowed)}")
        return tuple(value)

    def phrases(self, parent: dict, key: str, where: str, default=()) -> tuple[str, ...]:
        """An optional list of words or phrases, as the bot's matcher reads them."""
        value = parent.get(key)
        if value is None:
            return tuple(default)
        if not isinstance(value, list) or not all(isinstance(w, (str, int)) and spoken(str(w)) for w in value):
            raise self.fail(_field(where, key), "must be a list of words or phrases")
        return tuple(dict.fromkeys(spoken(str(w)) for w in value))

    def valid(self, where: str, check, *args):
        """A value checked by one of validation's rules; its message names the field."""
        try:
            return check(*args)
        except validation.Invalid as exc:
            raise self.fail(where, exc.message) from None


def _service_settings(r: _Reader, top: dict) -> dict:
    svc = r.mapping(top.get("service"), "service")
    return dict(
        name=r.text(svc, "name", "service"),
        short_name=r.text(svc, "short_name", "service"),
        referral_line=r.text(svc, "referral_line", "service"),
        referral_line_phone=r.phone(svc, "referral_line_phone", "service"),
        referral_line_option=r.positive_int(svc, "referral_line_option", "service"),
        emergency_number=r.text(svc, "emergency_number", "service"),
        urgent_advice_number=r.text(svc, "urgent_advice_number", "service"),
        transfer_phone=r.optional_phone(svc, "transfer_phone", "service"),
    )


def _hours(r: _Reader, top: dict) -> dict:
    tz_name = r.text(top, "timezone", "file")
    try:
        tz = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise r.fail("timezone", f"{tz_name!r} is not a known time zone") from None
    hours = top.get("opening_hours")
    if hours == ALWAYS_OPEN:
        return dict(timezone=tz, always_open=True, opens=None, closes=None)
    if not isinstance(hours, dict):
        raise r.fail("opening_hours", f"must be {ALWAYS_OPEN} or a mapping with opens and closes")
    opens = r.clock_time(hours, "opens", "opening_hours")
    closes = r.clock_time(hours, "closes", "opening_hours")
    if closes <= opens:
        raise r.fail("opening_hours.closes", "must be later than opens")
    return dict(timezone=tz, always_open=False, opens=opens, closes=closes)


def _patient_identifier(r: _Reader, top: dict) -> PatientIdentifier:
    where = "patient_identifier"
    entry = r.mapping(top.get(where), where)
    scheme = r.text(entry, "scheme", where)
    if scheme not in PATIENT_IDENTIFIERS:
        raise r.fail(f"{where}.scheme", f"{scheme!r} is not one of {', '.join(PATIENT_IDENTIFIERS)}")
    return PatientIdentifier(scheme, PATIENT_IDENTIFIERS[scheme], 10, r.uri(entry, "fhir_system", where))


def _services(r: _Reader, top: dict, public: PublicAccess) -> dict[str, Service]:
    services, chosen_by = {}, {}
    for key, entry in r.mapping(top.get("services"), "services").items():
        where = f"services.{key}"
        entry = r.mapping(entry, where)
        name = r.text(entry, "name", where)
        referrers = r.choices(entry, "referrers", where, REFERRER_KINDS)
        if "returning_client" in referrers and not public.may_refer:
            raise r.fail(f"{where}.referrers", "returning_client is listed but public.may_refer is false")
        spoken_as = r.phrases(entry, "spoken_as", where)
        for word in spoken_as:
            if chosen_by.setdefault(word, key) != key:
                raise r.fail(f"{where}.spoken_as", f"{word!r} already chooses {chosen_by[word]}")
        urgent = r.flag(entry, "urgent_response", where) if "urgent_response" in entry else False
        services[key] = Service(key, name, r.text(entry, "summary", where), referrers, spoken_as,
                                r.phrases(entry, "mention", where, default=(spoken(name),)), urgent)
    return services


def _registration_bodies(r: _Reader, top: dict) -> dict[str, RegistrationBody]:
    bodies = {}
    for code, entry in r.mapping(top.get("registration_bodies"), "registration_bodies").items():
        where = f"registration_bodies.{code}"
        if code not in validation.REGISTRATION_BODIES:
            raise r.fail(where, f"{code!r} is not a body whose numbers are known here "
                                f"({', '.join(validation.REGISTRATION_BODIES)}; see validation._REGISTRATION)")
        entry = r.mapping(entry, where)
        bodies[code] = RegistrationBody(code, r.text(entry, "name", where), r.uri(entry, "fhir_system", where))
    return bodies


def _professions(r: _Reader, top: dict, bodies: dict) -> dict[str, Profession]:
    professions = {}
    for key, entry in r.mapping(top.get("professions"), "professions").items():
        where = f"professions.{key}"
        entry = r.mapping(entry, where)
        kind = r.text(entry, "kind", where)
        if kind not in REFERRER_KINDS[:2]:
            raise r.fail(f"{where}.kind", f"{kind!r} is not health_professional or social_worker")
        words = entry.get("spoken_as", [])
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise r.fail(f"{where}.spoken_as", "must be a list of words or phrases")
        professions[key] = Profession(key, r.text(entry, "name", where), kind,
                                      r.choices(entry, "registration_bodies", where, tuple(bodies)),
                                      tuple(w.strip().lower() for w in words))
    return professions


def _contact(r: _Reader, raw, where: str) -> Contact:
    entry = r.mapping(raw, where)
    return Contact(r.text(entry, "name", where), r.optional_phone(entry, "phone", where))


def _boroughs(r: _Reader, top: dict) -> dict[str, Borough]:
    boroughs = {}
    raw_boroughs = top.get("boroughs")
    if not isinstance(raw_boroughs, list) or not raw_boroughs:
        raise r.fail("boroughs", "must be a non-empty list")
    for i, entry in enumerate(raw_boroughs):
        where = f"boroughs[{i}]"
        entry = r.mapping(entry, where)
        code = r.text(entry, "code", where)
        if not ONS_LA_CODE.fullmatch(code):
            raise r.fail(f"{where}.code", f"{code!r} is not an ONS local authority code like E09000001")
        if code in boroughs:
            raise r.fail(f"{where}.code", f"{code} is listed twice")
        contacts = entry.get("adult_social_care", [])
        if not isinstance(contacts, list):
            raise r.fail(f"{where}.adult_social_care", "must be a list (empty where none is published)")
        boroughs[code] = Borough(code, r.text(entry, "name", where), tuple(
            _contact(r, c, f"{where}.adult_social_care[{j}]") for j, c in enumerate(contacts)))
    return boroughs


def _callers_told(r: _Reader, top: dict) -> CallersTold:
    told = r.mapping(top.get("callers_told"), "callers_told")
    return CallersTold(**{key: r.text(told, key, "callers_told") for key in CallersTold.__dataclass_fields__})


def _postcode_areas(r: _Reader, top: dict) -> tuple[str, ...]:
    value = top.get("postcode_areas", [])
    if not isinstance(value, list) or not all(isinstance(a, str) and POSTCODE_AREA.fullmatch(a) for a in value):
        raise r.fail("postcode_areas", "must be a list of postcode areas, one or two capital letters like EH")
    return tuple(value)


def _demo_referrer(r: _Reader, entry, where: str, bodies: dict, professions: dict) -> DemoReferrer:
    entry = r.mapping(entry, where)
    profession = r.text(entry, "profession", where)
    if profession not in professions:
        raise r.fail(f"{where}.profession", f"{profession!r} is not one of {', '.join(professions)}")
    body = r.text(entry, "registration_body", where)
    if body not in professions[profession].registration_bodies:
        raise r.fail(f"{where}.registration_body", f"a {professions[profession].name} is registered with "
                                                   f"{' or '.join(professions[profession].registration_bodies)}")
    number = r.valid(f"{where}.registration_number", validation.registration_number, body,
                     r.text(entry, "registration_number", where))
    return DemoReferrer(body, number, r.text(entry, "name", where), profession, r.text(entry, "organisation", where),
                        r.optional_text(entry, "ods_code", where), r.optional_phone(entry, "phone", where))


def _demo_client(r: _Reader, entry, where: str, identifier: PatientIdentifier, services: dict) -> DemoClient:
    entry = r.mapping(entry, where)
    number = r.valid(f"{where}.identifier", validation.patient_identifier, r.text(entry, "identifier", where),
                     identifier.scheme)
    born = r.day(entry, "date_of_birth", where)
    if identifier.scheme == "chi_number" and number[:6] != f"{born:%d%m%y}":
        raise r.fail(f"{where}.date_of_birth", f"a CHI number starts with the date of birth: {number[:6]} is not "
                                               f"{born:%d%m%y}")
    service = r.text(entry, "service", where)
    if service not in services:
        raise r.fail(f"{where}.service", f"{service!r} is not one of {', '.join(services)}")
    return DemoClient(number, born, r.text(entry, "given_name", where), r.text(entry, "family_name", where), service,
                      r.day(entry, "episode_ended", where))


def _demo(r: _Reader, top: dict, bodies: dict, professions: dict, identifier: PatientIdentifier,
          services: dict) -> DemoData:
    if top.get("demo") is None:
        return DemoData()
    demo = r.mapping(top.get("demo"), "demo")
    parts = {}
    for part in ("referrers", "clients"):
        value = demo.get(part, [])
        if not isinstance(value, list):
            raise r.fail(f"demo.{part}", "must be a list")
        parts[part] = value
    email = r.text(demo, "staff_email", "demo")
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise r.fail("demo.staff_email", f"{email!r} is not an email address")
    return DemoData(
        referrers=tuple(_demo_referrer(r, e, f"demo.referrers[{i}]", bodies, professions)
                        for i, e in enumerate(parts["referrers"])),
        clients=tuple(_demo_client(r, e, f"demo.clients[{i}]", identifier, services)
                      for i, e in enumerate(parts["clients"])),
        staff_email=email.lower())


def parse(raw, source: str = "service definition") -> ServiceDefinition:
    """The checked definition; its ``key`` is the source file's name without .yml."""
    r = _Reader(source)
    top = r.mapping(raw, "file")
    for key in top:
        if key not in TOP_LEVEL:
            raise r.fail(str(key), f"is not a section of a service definition ({', '.join(TOP_LEVEL)})")
    public = r.mapping(top.get("public"), "public")
    access = PublicAccess(r.flag(public, "may_refer", "public"))
    identifier = _patient_identifier(r, top)
    services = _services(r, top, access)
    bodies = _registration_bodies(r, top)
    professions = _professions(r, top, bodies)
    lockout = r.mapping(top.get("referrer_lockout"), "referrer_lockout")
    fhir = r.mapping(top.get("fhir"), "fhir")
    if "registration_identifier_systems" in fhir:
        raise r.fail("fhir.registration_identifier_systems", "has moved: each of registration_bodies has its "
                                                             "fhir_system")
    return ServiceDefinition(
        key=Path(source).stem,
        **_service_settings(r, top), **_hours(r, top),
        patient_identifier=identifier, public=access, services=services, registration_bodies=bodies,
        professions=professions,
        local_hospitals=r.phrases(top, "local_hospitals", "file"),
        postcode_areas=_postcode_areas(r, top),
        boroughs=_boroughs(r, top),
        callers_told=_callers_told(r, top),
        lockout_attempts=r.positive_int(lockout, "failed_attempts", "referrer_lockout"),
        lockout_minutes=r.positive_int(lockout, "minutes", "referrer_lockout"),
        callback_within_minutes=r.positive_int(top, "callback_within_minutes", "file"),
        registration_systems={code: body.fhir_system for code, body in bodies.items()},
        referral_reference_system=r.uri(fhir, "referral_reference_system", "fhir"),
        demo=_demo(r, top, bodies, professions, identifier, services),
    )


def load(path: str | Path | None = None) -> ServiceDefinition:
    """Read the file named by ``path``, else ``SERVICE_DEFINITION``, else data/services/cis.yml."""
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
