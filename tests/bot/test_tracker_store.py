"""bot/tracker_store.py: once a referral path ends, the tracker store keeps nothing the caller said on it,
the conversation carries on, and conversations idle past the retention period are deleted.

The PostgreSQL tests need the local PostgreSQL (TEST_POSTGRES_URL): skipped with the reason when it is not
reachable, failed instead under CI=true."""
import asyncio
import json
import time
import uuid

import pytest
from rasa.core.tracker_store import AwaitableTrackerStore, FailSafeTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (ActionExecuted, ActiveLoop, AllSlotsReset, BotUttered,
                                     DefinePrevUserUtteredFeaturization, SessionStarted, SlotSet, UserUttered)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import read_endpoint_config
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.tracker_store import RedactingInMemoryTrackerStore, RedactingSQLTrackerStore, keep_purging

from ..postgres import POSTGRES_URL, unavailable

DOMAIN = Domain.load("domain.yml")
EDITH = {"name": "Edith Clarke", "nhs": "9434765919", "spoken_nhs": "943 476 5919", "dob": "1941-03-07",
         "address": "12 Porchester Square", "phone": "07712 345678"}
ARTHUR = {"name": "Arthur Dent", "nhs": "4010232137", "spoken_nhs": "401 023 2137", "dob": "1952-11-02",
          "address": "155 Country Lane", "phone": "07700 900123"}


def said(text_: str, intent: str, at: float, **metadata) -> list:
    return [UserUttered(text_, {"name": intent, "confidence": 0.97}, parse_data={
        "intent_ranking": [{"name": intent, "confidence": 0.97}]}, metadata=metadata, timestamp=at),
        DefinePrevUserUtteredFeaturization(False, timestamp=at)]


def referral(patient: dict, reference: str, at: float) -> list:
    """A professional's referral, from sign-in to "stored", as the Rasa server records it."""
    return [
        *said("I'm a GP", "i_am_professional", at, pin_check={"outcome": "verified"}),
        ActionExecuted("caller_form", timestamp=at), SlotSet("caller_type", "professional", timestamp=at),
        SlotSet("auth_outcome", "verified", timestamp=at),
        SlotSet("referrer", {"name": "Dr Asha Patel", "registration_number": "7123456"}, timestamp=at),
        ActionExecuted("patient_form", timestamp=at), ActiveLoop("patient_form", timestamp=at),
        BotUttered("What is the patient's NHS number?", timestamp=at),
        ActionExecuted("action_listen", timestamp=at),
        *said(patient["spoken_nhs"], "inform", at),
        SlotSet("client_nhs_number", patient["nhs"], timestamp=at),
        SlotSet("patient_nhs_number", patient["nhs"], timestamp=at),
        SlotSet("patient_name", patient["name"], timestamp=at),
        SlotSet("patient_date_of_birth", patient["dob"], timestamp=at),
        SlotSet("patient_address", patient["address"], timestamp=at),
        SlotSet("patient_phone", patient["phone"], timestamp=at),
        SlotSet("requested_slot", "confirmed", timestamp=at),
        BotUttered(f"Here is the referral:\n{patient['name']}, born {patient['dob']}, NHS number "
                   f"{patient['spoken_nhs']}, {patient['address']}. Is that right?",
                   data={"buttons": [{"title": "yes", "payload": "/affirm"}]},
                   metadata={"patient": patient["name"]}, timestamp=at),
        ActionExecuted("action_listen", timestamp=at),
        *said("yes", "affirm", at, callback_phone=patient["phone"]),
        ActionExecuted("action_submit_referral", timestamp=at),
        ActiveLoop(None, timestamp=at), AllSlotsReset(timestamp=at),
        SlotSet("referral_reference", reference, timestamp=at), SlotSet("submission", "stored", timestamp=at),
        BotUttered(f"Thank you. The referral is stored. Your reference is {reference}.", timestamp=at),
        ActionExecuted("action_listen", timestamp=at),
    ]


def conversation(sender: str, *patients_and_references, ago_hours: float = 0) -> DialogueStateTracker:
    at = time.time() - ago_hours * 3600
    first_caller = {"callback_phone": patients_and_references[0][0]["phone"]} if patients_and_references else {}
    events = [SlotSet("session_started_metadata", first_caller, timestamp=at),  # what the telephone sends
              ActionExecuted("action_session_start", timestamp=at), SessionStarted(timestamp=at),
              ActionExecuted("action_listen", timestamp=at)]
    for patient, reference in patients_and_references:
        events += referral(patient, reference, at)
    return DialogueStateTracker.from_events(sender, events, DOMAIN.slots)


def identifiers(patient: dict) -> list:
    return [patient["nhs"], patient["spoken_nhs"], patient["name"], patient["dob"], patient["address"],
            patient["phone"], "Asha Patel", "7123456", "pin_check"]


def found(stored: str, patient: dict) -> list:
    return [identifier for identifier in identifiers(patient) if identifier in stored]


def after_last_reset(tracker: DialogueStateTracker) -> list:
    events = [event.as_dict() for event in tracker.events]
    last = max(i for i, event in enumerate(events) if event["event"] == "reset_slots")
    return events[last:]


def intents(tracker: DialogueStateTracker) -> list:
    return [event.intent_name for event in tracker.events if isinstance(event, UserUttered)]


def sender() -> str:
    return "conversation-" + uuid.uuid4().hex[:10]


@pytest.fixture
def retention(monkeypatch):
    monkeypatch.setenv("CONVERSATION_RETENTION_HOURS", "1")
    monkeypatch.setenv("CONVERSATION_PURGE_SECONDS", "3600")


# --- in memory (one Rasa process) -------------------------------------------------------------------

def test_a_stored_referral_leaves_no_identifier_in_the_store_and_the_rules_see_the_same_conversation():
    store, tracker = RedactingInMemoryTrackerStore(DOMAIN), conversation(sender(), (EDITH, "CIS-7K2Q"))
    asyncio.run(store.save(tracker))
    assert found(store.store[tracker.sender_id], EDITH) == []
    again = asyncio.run(store.retrieve(tracker.sender_id))
    assert after_last_reset(again) == after_last_reset(tracker)  # the reference and the thanks, as they were
    assert intents(again) == intents(tracker)
    assert again.current_slot_values() == tracker.current_slot_values()
    assert again.past_states(DOMAIN) == tracker.past_states(DOMAIN)  # what the RulePolicy predicts from
    assert again.get_slot("referral_reference") == "CIS-7K2Q"


def test_a_referral_in_progress_keeps_its_answers_for_the_read_back():
    store = RedactingInMemoryTrackerStore(DOMAIN)
    tracker = conversation(sender())
    for event in referral(EDITH, "CIS-7K2Q", time.time())[:-7]:  # up to the caller's "yes"
        tracker.update(event)
    asyncio.run(store.save(tracker))
    again = asyncio.run(store.retrieve(tracker.sender_id))
    assert again.get_slot("patient_nhs_number") == EDITH["nhs"]
    assert again.get_slot("patient_address") == EDITH["address"]


def test_the_next_referral_in_the_same_conversation_is_kept_until_it_ends_then_redacted_too():
    store, tracker = RedactingInMemoryTrackerStore(DOMAIN), conversation(sender(), (EDITH, "CIS-7K2Q"))
    asyncio.run(store.save(tracker))
    again = asyncio.run(store.retrieve(tracker.sender_id))
    for event in referral(ARTHUR, "CIS-9P4L", time.time()):
        again.update(event)
    asyncio.run(store.save(again))
    stored = store.store[tracker.sender_id]
    assert found(stored, EDITH) == [] and found(stored, ARTHUR) == []
    last = asyncio.run(store.retrieve(tracker.sender_id))
    assert last.get_slot("referral_reference") == "CIS-9P4L"
    assert intents(last) == intents(tracker) + intents(conversation("x", (ARTHUR, "CIS-9P4L")))


def test_a_conversation_idle_past_the_retention_period_is_deleted_and_a_recent_one_kept(retention):
    store = RedactingInMemoryTrackerStore(DOMAIN)
    recent, idle = conversation(sender(), (EDITH, "CIS-1")), conversation(sender(), ago_hours=2)
    asyncio.run(store.save(recent))  # the first save purges: nothing is old yet
    asyncio.run(store.save(idle))  # not again within CONVERSATION_PURGE_SECONDS
    assert asyncio.run(store.retrieve(idle.sender_id)) is not None
    asyncio.run(store.purge_expired())
    assert asyncio.run(store.retrieve(idle.sender_id)) is None
    assert asyncio.run(store.retrieve(recent.sender_id)) is not None


def test_the_background_purge_finds_the_store_inside_rasas_wrappers(retention):
    store = RedactingInMemoryTrackerStore(DOMAIN)
    asyncio.run(store.save(conversation(sender())))  # the save's own purge is now an hour away
    idle = conversation(sender(), ago_hours=2)

    async def purge_in_the_background():
        await store.save(idle)
        purging = asyncio.create_task(keep_purging(FailSafeTrackerStore(AwaitableTrackerStore(store)), 0.01))
        await asyncio.sleep(0.1)
        purging.cancel()
        return await store.retrieve(idle.sender_id)

    assert asyncio.run(purge_in_the_background()) is None


def test_endpoints_yml_makes_rasa_create_the_redacting_store(monkeypatch):
    monkeypatch.setenv("ACTION_SERVER_TOKEN", "a-token")  # Rasa expands every ${...} in the file
    config = read_endpoint_config("endpoints.yml", "tracker_store")
    assert type(TrackerStore.create(config, DOMAIN)) is RedactingInMemoryTrackerStore  # not Rasa's fallback


# --- PostgreSQL (several Rasa processes: endpoints.scale.yml) -----------------------------------------

@pytest.fixture(scope="module")
def postgres_schema():
    """A schema of this test run's own, as tests/postgres.py makes them, through psycopg2: Rasa's
    SQLAlchemy 1.4 has no driver for psycopg 3, which TEST_POSTGRES_URL names."""
    url = make_url(POSTGRES_URL).set(drivername="postgresql+psycopg2")
    schema = f"cis_tracker_{uuid.uuid4().hex[:8]}"
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as exc:  # noqa: BLE001 - any failure to reach the server means "not here"
        engine.dispose()
        unavailable(f"PostgreSQL not reachable at TEST_POSTGRES_URL ({type(exc).__name__})")
    yield url, schema, engine
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


def sql_store(postgres_schema) -> RedactingSQLTrackerStore:
    url, schema, _ = postgres_schema
    return RedactingSQLTrackerStore(domain=DOMAIN, dialect="postgresql", host=url.host, port=url.port or 5432,
                                    db=url.database, username=url.username, password=url.password,
                                    query={"options": f"-csearch_path={schema}"})


@pytest.fixture
def postgres_store(postgres_schema):
    store = sql_store(postgres_schema)
    yield store
    store.engine.dispose()


def stored_rows(postgres_schema, sender_id: str) -> list:
    _, schema, engine = postgres_schema
    with engine.connect() as conn:
        rows = conn.execute(text(f"SELECT data FROM {schema}.events WHERE sender_id = :s ORDER BY id"),
                            {"s": sender_id})
        return [row.data for row in rows]


def test_postgres_keeps_no_identifier_of_a_stored_referral(postgres_schema, postgres_store):
    tracker = conversation(sender(), (EDITH, "CIS-7K2Q"))
    asyncio.run(postgres_store.save(tracker))
    rows = stored_rows(postgres_schema, tracker.sender_id)
    assert found("\n".join(rows), EDITH) == []
    assert len(rows) == len(tracker.events)
    assert [json.loads(row) for row in rows[-len(after_last_reset(tracker)):]] == after_last_reset(tracker)


def test_postgres_redacts_rows_stored_before_the_reset_once_and_adds_no_duplicate(postgres_schema,
                                                                                  postgres_store):
    tracker, events = conversation(sender()), referral(EDITH, "CIS-7K2Q", time.time())
    for event in events[:-7]:  # the read-back, each turn saved as Rasa does
        tracker.update(event)
        asyncio.run(postgres_store.save(tracker))
    assert found("\n".join(stored_rows(postgres_schema, tracker.sender_id)), EDITH) != []
    for event in events[-7:]:  # "yes": submitted, reset, the reference
        tracker.update(event)
    asyncio.run(postgres_store.save(tracker))
    for event in said("thank you", "thank_you", time.time()):
        tracker.update(event)
    asyncio.run(postgres_store.save(tracker))
    rows = stored_rows(postgres_schema, tracker.sender_id)
    assert found("\n".join(rows), EDITH) == []
    assert len(rows) == len(tracker.events)
    assert json.loads(rows[-2])["text"] == "thank you"  # after the reset: kept


def test_postgres_conversation_carries_on_after_a_restart_with_the_next_referral(postgres_schema,
                                                                                 postgres_store):
    tracker = conversation(sender(), (EDITH, "CIS-7K2Q"))
    asyncio.run(postgres_store.save(tracker))
    restarted = sql_store(postgres_schema)
    try:
        again = asyncio.run(restarted.retrieve(tracker.sender_id))
        assert again.past_states(DOMAIN) == tracker.past_states(DOMAIN)
        for event in referral(ARTHUR, "CIS-9P4L", time.time()):
            again.update(event)
        asyncio.run(restarted.save(again))
        last = asyncio.run(restarted.retrieve(tracker.sender_id))
    finally:
        restarted.engine.dispose()
    rows = stored_rows(postgres_schema, tracker.sender_id)
    assert found("\n".join(rows), EDITH) == [] and found("\n".join(rows), ARTHUR) == []
    assert len(rows) == len(last.events)
    assert last.get_slot("referral_reference") == "CIS-9P4L"


def test_postgres_deletes_conversations_idle_past_the_retention_period(postgres_schema, retention):
    store = sql_store(postgres_schema)
    try:
        idle, recent = conversation(sender(), (EDITH, "CIS-1"), ago_hours=2), conversation(sender())
        asyncio.run(store.save(recent))
        asyncio.run(store.save(idle))
        assert stored_rows(postgres_schema, idle.sender_id) != []
        asyncio.run(store.purge_expired())
    finally:
        store.engine.dispose()
    assert stored_rows(postgres_schema, idle.sender_id) == []
    assert len(stored_rows(postgres_schema, recent.sender_id)) == len(recent.events)


def test_endpoints_scale_yml_makes_rasa_create_the_redacting_postgres_store(postgres_schema, monkeypatch):
    url, schema, _ = postgres_schema
    for name, value in {"RASA_TRACKER_DB_HOST": url.host, "RASA_TRACKER_DB_PORT": str(url.port or 5432),
                        "RASA_TRACKER_DB_NAME": url.database, "RASA_TRACKER_DB_USER": url.username or "postgres",
                        "RASA_TRACKER_DB_PASSWORD": url.password or "", "POSTGRESQL_SCHEMA": schema,
                        "ACTION_ENDPOINT_URL": "http://127.0.0.1:5055/webhook", "ACTION_SERVER_TOKEN": "a-token",
                        "REDIS_HOST": "127.0.0.1", "REDIS_PORT": "6379", "REDIS_DB": "1"}.items():
        monkeypatch.setenv(name, value)
    store = TrackerStore.create(read_endpoint_config("endpoints.scale.yml", "tracker_store"), DOMAIN)
    try:
        assert type(store) is RedactingSQLTrackerStore  # not Rasa's silent in-memory fallback
        tracker = conversation(sender(), (EDITH, "CIS-7K2Q"))
        asyncio.run(store.save(tracker))
    finally:
        store.engine.dispose()
    assert len(stored_rows(postgres_schema, tracker.sender_id)) == len(tracker.events)
