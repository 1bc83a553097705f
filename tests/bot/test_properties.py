"""Any text at any question gets a reply: every parser and every validate_<slot>, driven with random text,
impossible and leap dates, very long answers, control characters, emoji and other scripts' digits, never
raises, and either keeps a value the case store can hold or asks again."""
import asyncio
import inspect
import os
import re
from datetime import date

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rasa_sdk.executor import CollectingDispatcher

from actions import decision, parsing
from actions.clinical import SETTINGS, URGENCY
from actions.form_base import NOT_APPLICABLE, service
from actions.patient import ValidatePatientForm
from actions.public_callers import RELATIONSHIPS
from actions.service_choice import service_words
from actions.summary import FIELDS
from referral_rules import validation

from .trackers import tracker
from .validations import all_validations, without_intake_api

EXAMPLES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Days to be "today" on: an ordinary one, the day after a 29 February, and a 29 February itself.
TODAYS = ["2026-11-24T10:00:00+00:00", "2028-03-01T10:00:00+00:00", "2028-02-29T10:00:00+00:00"]
ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
OTHER_DIGITS = ARABIC_INDIC + "۰۱۲۳۴۵۶۷۸۹" + "０１２３４５６７８９" + "²³¹"
AWKWARD = ["29/02/24", "29/02/2024", "31/04/2026", "29 February", "29th Feb", "29/02", "30/02/1941", "0/0/0",
           "٩٤٣٤٧٦٥٩١٩", "٠٧٧١٢ ٣٤٥٦٧٨", "٠٧/٠٣/١٩٤١", "٠٧٠٣١٩٤١", "in 99999999999 days", "99999999999999999999",
           "", " ", "?", "😀", "👍🏽 yes", "\x00", "yes\x00", "no\u202e", "\ud800", "yes?", "which one is quicker?",
           "what does that mean", "send it", "stop", "none", "a", ",", "-", "' -", "GMC ٧١٢٣٤٥٦", "W٢ ٤RJ",
           "Mrs Edith Clarke", "7th March 1941", "07/03/1941", "9434765919", "07712 345678", "W2 4RJ",
           "12 Porchester Square, London W2 4RJ", "mobility, washing and dressing", "rapid response", "at home",
           "urgent", "yes", "no", "she lives alone", "change the postcode to W2 4RJ", "NMC 12A3456E"]

other_scripts = st.text(alphabet=st.characters(min_codepoint=0x80, max_codepoint=0x10FFFF,
                                               blacklist_categories=("Cs",)), max_size=60)
control = st.text(alphabet=st.characters(max_codepoint=0x9F, whitelist_categories=("Cc",)), min_size=1, max_size=5)
surrogates = st.text(alphabet=st.characters(whitelist_categories=("Cs",)), min_size=1, max_size=3)
other_digits = st.text(alphabet=OTHER_DIGITS + " -/", min_size=1, max_size=14)
very_long = st.text(min_size=1, max_size=12).map(lambda s: s * (10_001 // len(s) + 1))
real_looking = st.tuples(st.sampled_from(AWKWARD), st.text(max_size=20), st.sampled_from(AWKWARD)).map("".join)
answers = st.one_of(st.text(max_size=80), st.sampled_from(AWKWARD), other_scripts, other_digits, very_long,
                    real_looking, st.tuples(st.sampled_from(AWKWARD), control, surrogates).map("".join))
intents = st.sampled_from(["inform", "affirm", "deny", "dont_know", "stop", "choose_service", "emergency", "carry_on",
                           "human_handoff", "thank_you", "greet"])
todays = st.sampled_from(TODAYS)


@pytest.fixture(autouse=True, scope="module")
def no_intake_api():
    """The intake API is the unit's outside border: postcodes are in the area, the client is found."""
    with pytest.MonkeyPatch.context() as patch:
        without_intake_api(patch)
        patch.setenv("CIS_NOW", TODAYS[0])
        yield


def today() -> date:
    return date.fromisoformat(os.environ["CIS_NOW"][:10])


PROFESSIONS = list(service().professions)
# The earlier answers a validation reads, varied (see ``conversation``).
CONTEXTS = [{"tried": n % 2, "profession": PROFESSIONS[n % len(PROFESSIONS)],
             "caller": ("professional", "public", "social_worker")[n % 3], "correction": field}
            for n, field in enumerate(FIELDS)]


def conversation(slot: str, text: str, intent: str, tried: int = 0, profession: str = "gp",
                 caller: str = "professional", correction: str = "reason"):
    """The tracker at the question for ``slot``, with the earlier answers a validation reads: how often
    this question was tried, the caller's role (for the registration number), who is calling (for the
    services they may refer to), and the field being corrected at the read-back."""
    slots = {"requested_slot": slot, "failures": {slot: tried} if tried else {}, "profession": profession,
             "caller_type": "public" if caller == "public" else "professional",
             "referrer": {"kind": "social_worker" if caller == "social_worker" else "health_professional"},
             "client_nhs_number": "9434765919", "correction": correction}
    return tracker(text, intent=intent, slots=slots)


def store_holds(slot: str, value) -> bool:
    """Whether an accepted value is one the slot may hold and the case store will take."""
    known = {
        "caller_type": lambda v: v in ("professional", "public"),
        "profession": lambda v: v in service().professions,
        "registration_number": lambda v: bool(re.fullmatch(r"(GMC|NMC|HCPC|GPhC|SWE) [A-Z0-9]+", v)),
        "supported_before": lambda v: v in ("yes", "no", "not sure"),
        "client_nhs_number": lambda v: v == "unknown" or (v.isascii() and validation.nhs_number(v) == v),
        "patient_nhs_number": lambda v: v == "unknown" or (v.isascii() and validation.nhs_number(v) == v),
        "client_date_of_birth": lambda v: validation.date_of_birth(v, today()).isoformat() == v,
        "patient_date_of_birth": lambda v: validation.date_of_birth(v, today()).isoformat() == v,
        "expected_discharge_date": lambda v: v == NOT_APPLICABLE or date.fromisoformat(v) >= today(),
        "caller_name": lambda v: len(v) <= validation.MAX_LENGTH["person_name"] and " " in v,
        "patient_name": lambda v: (lambda given, _, family: given and family
                                   and len(given) <= validation.MAX_LENGTH["given_name"]
                                   and len(family) <= validation.MAX_LENGTH["family_name"])(*v.rpartition(" ")),
        "caller_relationship": lambda v: v in RELATIONSHIPS,
        "caller_phone": lambda v: validation.uk_phone(v) == v and v.isascii(),
        "patient_phone": lambda v: validation.uk_phone(v) == v and v.isascii(),
        "service": lambda v: v in service().services,
        "patient_address": lambda v: 4 <= len(v) <= validation.MAX_LENGTH["address_line"],
        "patient_postcode": lambda v: v.isascii() and validation.postcode(v) == v,
        "postcode_confirmed": lambda v: v in ("yes", "no"),
        "lives_alone": lambda v: isinstance(v, bool),
        "consent": lambda v: v in ("given", "no", "best_interests"),
        "best_interests": lambda v: isinstance(v, bool) or v == NOT_APPLICABLE,
        "setting": lambda v: v in SETTINGS,
        "reason": lambda v: 3 <= len(v) <= validation.MAX_LENGTH["reason"],
        "difficulties": lambda v: 1 <= len(v) and a_list(v),
        "goals": lambda v: 1 <= len(v) and a_list(v),
        "risks": a_list,
        "mental_health_crisis": lambda v: isinstance(v, bool),
        "urgency": lambda v: v in URGENCY,
        "confirmed": lambda v: v is True or v == "correcting",
        "correction_value": lambda v: v == NOT_APPLICABLE,
    }
    text_ok = not isinstance(value, str) or not re.search(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]", value)
    return known[slot](value) and text_ok


def a_list(value) -> bool:
    """A list of items the case store takes: never the words as one string, never empty or letterless items."""
    return (isinstance(value, list) and len(value) <= validation.MAX_LIST_ITEMS
            and all(isinstance(item, str) and item.strip() and any(ch.isalnum() for ch in item)
                    and len(item) <= validation.MAX_LENGTH["list_item"] for item in value))


def answered(form, slot: str, said: str, conversation_there) -> None:
    """The validation's verdict on ``said``: a value the store holds, or a re-ask; never an exception."""
    dispatcher = CollectingDispatcher()
    value = said if slot != "caller_type" else decision.caller_type_in(tracker(said))  # (the caller form's extraction)
    result = asyncio.run(form.checked(slot, value, dispatcher, conversation_there, {}))
    shown = repr(said[:100]) + ("..." if len(said) > 100 else "")
    assert not any("couldn't take that answer" in (m.get("text") or "") for m in dispatcher.messages), \
        f"validate_{slot} raised on {shown}"  # (the safety net caught it)
    kept = result[slot]
    if kept is None:  # asked again (or, at the read-back, a field changed: it is read back again)
        assert dispatcher.messages or set(result) - {slot, "failures"}, \
            f"validate_{slot} refused {shown} without a word to the caller"
    else:
        assert store_holds(slot, kept), f"validate_{slot} kept {str(kept)[:100]!r} from {shown}"


@pytest.mark.parametrize("form,slot", all_validations(), ids=lambda x: x if isinstance(x, str) else "")
def test_awkward_answers_at_every_question(form, slot):
    for at in TODAYS:
        os.environ["CIS_NOW"] = at
        for number, said in enumerate(AWKWARD):
            for intent in ("inform", "affirm", "stop"):
                context = CONTEXTS[number % len(CONTEXTS)]
                answered(form, slot, said, conversation(slot, said, intent, **context))


@pytest.mark.parametrize("form,slot", all_validations(), ids=lambda x: x if isinstance(x, str) else "")
@EXAMPLES
@given(said=answers, intent=intents, at=todays, context=st.sampled_from(CONTEXTS))
def test_any_answer_at_every_question(form, slot, said, intent, at, context):
    os.environ["CIS_NOW"] = at
    answered(form, slot, said, conversation(slot, said, intent, **context))


def test_every_validation_is_driven():
    driven = {slot for _, slot in all_validations()}
    assert {"profession", "registration_number", "patient_postcode", "client_date_of_birth", "goals",
            "correction_value", "service"} <= driven


PARSERS = {
    "intent_of": lambda text, tr, day: decision.intent_of(tr),
    "says_carry_on": lambda text, tr, day: decision.says_carry_on(tr),
    "plain": lambda text, tr, day: parsing.plain(text),
    "is_question": lambda text, tr, day: decision.is_question(text),
    "question_instead": lambda text, tr, day: decision.question_instead(text, service_words()),
    "yes_or_no": lambda text, tr, day: decision.yes_or_no(tr, text),
    "negated": lambda text, tr, day: decision.negated(text),
    "says_dont_know": lambda text, tr, day: decision.says_dont_know(tr, text),
    "parse_date": lambda text, tr, day: (parsing.parse_date(text, day), parsing.parse_date(text, day, past=False)),
    "lives_alone": lambda text, tr, day: parsing.lives_alone(text),
    "consents": lambda text, tr, day: parsing.consents(text),
    "person_name": lambda text, tr, day: parsing.person_name(text),
    "items": lambda text, tr, day: parsing.items(text),
    "choose": lambda text, tr, day: parsing.choose(text, SETTINGS),
    "digits_in": lambda text, tr, day: parsing.digits_in(text),
    "postcode_in": lambda text, tr, day: parsing.postcode_in(text),
    "address_and_postcode": lambda text, tr, day: parsing.address_and_postcode(text),
    "phone_in": lambda text, tr, day: parsing.phone_in(text),
    "code_candidates": lambda text, tr, day: parsing.code_candidates(text),
    "says_stop": lambda text, tr, day: decision.says_stop(text),
    "caller_type_in": lambda text, tr, day: decision.caller_type_in(tr),
    "yes_in_other_words": lambda text, tr, day: [decision.yes_in_other_words(slot, text)
                                                 for slot in decision.YES_IN_OTHER_WORDS],
}


def test_every_parser_is_driven():
    public = {name for module in (parsing, decision) for name, f in inspect.getmembers(module, inspect.isfunction)
              if f.__module__ == module.__name__ and not name.startswith("_")}
    assert public == set(PARSERS)


@pytest.mark.parametrize("parser", sorted(PARSERS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(said=answers, intent=intents, day=st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_no_parser_raises(parser, said, intent, day):
    PARSERS[parser](said, tracker(said, intent=intent), day)


@settings(max_examples=150, deadline=None)
@given(said=answers)
def test_lists_are_lists_of_items_that_say_something(said):
    found = parsing.items(said)
    assert isinstance(found, list) and all(isinstance(item, str) and any(ch.isalnum() for ch in item)
                                           for item in found)
    assert parsing.digits_in(said).isascii()


@settings(max_examples=150, deadline=None)
@given(said=other_digits, at=todays)
@example(said="٩٤٣٤٧٦٥٩١٩", at=TODAYS[0])  # 9434765919 in Arabic-Indic digits
@example(said="٠٧٧١٢ ٣٤٥٦٧٨", at=TODAYS[0])
@example(said="٠٧٠٣١٩٤١", at=TODAYS[0])
@example(said="٠٧/٠٣/١٩٤١", at=TODAYS[0])
def test_other_scripts_digits_are_no_nhs_number_phone_number_or_date(said, at):
    os.environ["CIS_NOW"] = at
    patient = ValidatePatientForm()
    for slot in ("patient_nhs_number", "patient_phone", "patient_date_of_birth"):
        result = asyncio.run(patient.checked(slot, said, CollectingDispatcher(), tracker(said), {}))
        assert result[slot] is None
    assert parsing.parse_date(said, today(), past=False) is None
