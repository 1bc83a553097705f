"""The running service for end-to-end tests and benchmarks: the intake API, the action server and the
Rasa server as real processes on free local ports, talking real HTTP, with the trained model
(models/cis.tar.gz, built by `make model`)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

from referral_rules.service_definition import load

ROOT = Path(__file__).resolve().parents[2]
BOT_BIN = ROOT / ".venv" / "bot" / "bin"
API_BIN = Path(sys.executable).parent
MODEL = ROOT / "models" / "cis.tar.gz"
SERVICE_TOKEN = "e2e-service-token"
ACTION_SERVER_TOKEN = "e2e-action-server-token"
TWILIO_AUTH_TOKEN = "e2e-twilio-auth-token"
SPR_STAFF_NUMBER = "+442079460999"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path, seconds: int = 180) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up in {seconds}s:\n{log.read_text()[-3000:]}")


class Stack:
    """The one-machine default (SQLite, in-memory tracker and lock stores), or, with ``scale_env``, the
    scale-out set-up: endpoints.scale.yml with those variables, and ``rasa_processes`` Rasa servers
    taking turns of the same conversations."""

    def __init__(self, tmp: Path, database_url: str | None = None, scale_env: dict | None = None,
                 rasa_processes: int = 1, now: str = "2026-11-24T10:00:00+00:00", service_file: str | None = None):
        self.tmp = tmp
        self.api_port, self.actions_port = free_port(), free_port()
        self.rasa_ports = [free_port() for _ in range(rasa_processes)]
        self.api = f"http://127.0.0.1:{self.api_port}"
        self.rasa_urls = [f"http://127.0.0.1:{port}" for port in self.rasa_ports]
        self.rasa = self.rasa_urls[0]
        self.turns = 0
        self.database_url = database_url or f"sqlite:///{tmp / 'cis.sqlite3'}"
        self.scale_env = scale_env
        self.env = {**os.environ, "DATABASE_URL": self.database_url, "INTAKE_SERVICE_TOKEN": SERVICE_TOKEN,
                    "INTAKE_API_URL": self.api, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false",
                    "ACTION_SERVER_TOKEN": ACTION_SERVER_TOKEN, "CIS_NOW": now,
                    # Which line (the same trained model serves every service file).
                    "SERVICE_DEFINITION": str(ROOT / (service_file or "data/services/cis.yml")),
                    # Confirmed referrals the API can't take in time wait here (actions/outbox.py).
                    "OUTBOX_PATH": str(tmp / "outbox.sqlite3"), "OUTBOX_RETRY_SECONDS": "1",
                    # The voice gateway: Twilio reaches it at the API's own address, and it relays to Rasa.
                    "TWILIO_AUTH_TOKEN": TWILIO_AUTH_TOKEN, "PUBLIC_BASE_URL": self.api,
                    "RASA_PUBLIC_URL": self.rasa, "SPR_STAFF_NUMBER": SPR_STAFF_NUMBER,
                    "STAFF_QUEUE_POLL_SECONDS": "2",  # the live queue, asked often enough for a test to watch
                    **(scale_env or {}),
                    "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{self.actions_port}/webhook"}
        self.definition = load(self.env["SERVICE_DEFINITION"])
        self.processes: list[subprocess.Popen] = []
        self.by_name: dict[str, subprocess.Popen] = {}
        self.pids: dict[str, int] = {}  # by name (api, actions, rasa0, ...), for make bench's CPU figures

    def start(self, name: str, argv: list[str], health: str) -> None:
        log = self.tmp / f"{name}.log"
        process = subprocess.Popen(argv, cwd=ROOT, env=self.env, stdout=log.open("a"), stderr=subprocess.STDOUT)
        self.processes.append(process)
        self.pids[name] = process.pid
        self.by_name[name] = process
        wait_until_up(health, process, log)

    def restart_rasa(self) -> None:
        """Every Rasa server stopped and started again (conversations must survive in the tracker store)."""
        for number, port in enumerate(self.rasa_ports):
            process = self.by_name.pop(f"rasa{number}")
            process.terminate()
            process.wait(timeout=30)
            self.processes.remove(process)
        for number, (port, url) in enumerate(zip(self.rasa_ports, self.rasa_urls)):
            self.start(f"rasa{number}", self.rasa_command(port, self.endpoints), f"{url}/")

    def flask(self, *args: str) -> str:
        """The administration CLI against this stack's case store."""
        return subprocess.run([str(API_BIN / "flask"), "--app", "intake_api", *args], cwd=ROOT, env=self.env,
                              check=True, capture_output=True, text=True).stdout

    def up(self) -> None:
        flask = [str(API_BIN / "flask"), "--app", "intake_api"]
        subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=self.env, check=True, capture_output=True)
        subprocess.run([*flask, "demo", "load", "--allow-non-sqlite"], cwd=ROOT, env=self.env, check=True,
                       capture_output=True)
        self.staff_token = subprocess.run([*flask, "staff", "token", "--email", self.definition.demo.staff_email],
                                          cwd=ROOT, env=self.env, check=True, capture_output=True, text=True).stdout.strip()
        endpoints = ROOT / "endpoints.scale.yml"
        if not self.scale_env:  # the project's own endpoints.yml, with this stack's action server port
            endpoints = self.tmp / "endpoints.yml"
            endpoints.write_text((ROOT / "endpoints.yml").read_text().replace(
                "http://127.0.0.1:5055/webhook", self.env["ACTION_ENDPOINT_URL"]))
        self.start("api", [str(API_BIN / "waitress-serve"), "--host", "127.0.0.1", f"--port={self.api_port}",
                           "--call", "intake_api:create_app"], f"{self.api}/healthz")
        self.start("actions", [str(BOT_BIN / "python"), "-m", "actions.server", "--port", str(self.actions_port)],
                   f"http://127.0.0.1:{self.actions_port}/health")
        self.endpoints = endpoints
        for number, (port, url) in enumerate(zip(self.rasa_ports, self.rasa_urls)):
            self.start(f"rasa{number}", self.rasa_command(port, endpoints), f"{url}/")

    def rasa_command(self, port: int, endpoints: Path) -> list[str]:
        # --cors: the web chat page, served by the API, talks to the REST channel from the browser.
        return [str(BOT_BIN / "rasa"), "run", "--model", str(MODEL), "--interface", "127.0.0.1", "--port", str(port),
                "--cors", self.api, "--credentials", str(ROOT / "credentials.yml"), "--endpoints", str(endpoints)]

    def down(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()

    def log(self, name: str) -> str:
        return (self.tmp / f"{name}.log").read_text()

    @staticmethod
    def new_chat() -> tuple[str, str]:
        """A web chat's random sender id, and the conversation id the service keeps it under."""
        sender = uuid.uuid4().hex
        return sender, f"chat-{sender}"

    def say(self, sender: str, message: str) -> list[str]:
        """One turn, through the next Rasa process in turn (the only one in the default set-up)."""
        rasa = self.rasa_urls[self.turns % len(self.rasa_urls)]
        self.turns += 1
        reply = requests.post(f"{rasa}/webhooks/rest/webhook", json={"sender": sender, "message": message},
                              timeout=60)
        reply.raise_for_status()
        return [m["text"] for m in reply.json() if "text" in m]

    def call(self, **options):
        """A telephone call into the voice gateway, driven as Twilio drives one (tests/voice/simulator.py)."""
        from tests.voice.simulator import Call

        return Call(self.api, TWILIO_AUTH_TOKEN, **options)

    def staff_get(self, path: str) -> dict:
        reply = requests.get(self.api + path, headers={"Authorization": f"Bearer {self.staff_token}"}, timeout=10)
        reply.raise_for_status()
        return reply.json()

    def tracker_events(self, conversation_id: str) -> list[str]:
        """The scaled-out stack's tracker store rows for a conversation, as stored (JSON text)."""
        from tests.postgres import POSTGRES_URL

        schema = self.env["POSTGRESQL_SCHEMA"]
        engine = create_engine(POSTGRES_URL)
        try:
            with engine.connect() as conn:
                return [row[0] for row in conn.execute(
                    text(f"SELECT data FROM {schema}.events WHERE sender_id = :s ORDER BY id"), {"s": conversation_id})]
        finally:
            engine.dispose()

    def rows(self, sql: str) -> list:
        engine = create_engine(self.database_url)
        try:
            with engine.connect() as conn:
                return list(conn.execute(text(sql)))
        finally:
            engine.dispose()
