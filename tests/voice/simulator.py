"""A telephone call driven the way Twilio drives one, against the voice gateway's webhooks.

Every request is signed as Twilio signs it (RequestValidator.compute_signature over the full URL it
requests and the POST parameters, with the auth token) and carries the fields Twilio posts. The TwiML
answer is followed verb by verb: <Say> is heard, <Gather> waits for the caller (keys, words or silence;
silence falls through to the next verb, as Twilio's timeout does), <Redirect> and <Gather action> are
requested (relative URLs resolved against the URL just requested), <Dial> is recorded, <Hangup> (or the
end of the document) ends the call, and the status callback is posted when the call is over.
"""
from __future__ import annotations

import time
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import urljoin

import requests
from twilio.request_validator import RequestValidator

ACCOUNT_SID = "AC" + "0" * 32


@dataclass
class Request:
    url: str
    params: dict
    status: int
    milliseconds: float


@dataclass
class Call:
    base_url: str                     # where Twilio reaches the gateway (PUBLIC_BASE_URL)
    auth_token: str
    caller: str = "+447712345678"     # From, E.164
    number: str = "+443000330333"     # To: the SPR line
    call_sid: str = field(default_factory=lambda: "CA" + uuid.uuid4().hex)
    heard: list[str] = field(default_factory=list)     # every <Say>, in order
    dialled: list[str] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    ended: bool = False
    _gather: ET.Element | None = None
    _after_gather: list[ET.Element] = field(default_factory=list)
    _document_url: str = ""
    _new_since: int = 0

    # --- what a test does ---------------------------------------------------------------------------------
    def dial_in(self) -> list[str]:
        self._request(self.base_url.rstrip("/") + "/voice/incoming", {}, status="ringing")
        return self.since()

    def press(self, keys: str) -> list[str]:
        gather = self._waiting()
        if "dtmf" not in gather.get("input", "dtmf"):
            return self.silence()
        finish = gather.get("finishOnKey", "#")
        if finish and finish in keys:
            keys = keys.split(finish)[0]
        if gather.get("numDigits"):
            keys = keys[:int(gather.get("numDigits"))]
        self._answer_gather({"Digits": keys})
        return self.since()

    def say(self, words: str, confidence: float = 0.92) -> list[str]:
        gather = self._waiting()
        if "speech" not in gather.get("input", "dtmf"):
            return self.silence()  # a keypad-only Gather hears nothing: it times out
        self._answer_gather({"SpeechResult": words, "Confidence": f"{confidence:.2f}"})
        return self.since()

    def silence(self) -> list[str]:
        """The caller says nothing: the Gather times out and Twilio carries on with the next verb."""
        self._waiting()
        rest, self._gather = self._after_gather, None
        self._run(rest)
        return self.since()

    def hang_up(self) -> None:
        if not self.ended:
            self._end()

    # --- what a test reads ----------------------------------------------------------------------------------
    def since(self) -> list[str]:
        """What the caller heard since the last action."""
        new, self._new_since = self.heard[self._new_since:], len(self.heard)
        return new

    @property
    def waiting_for(self) -> str | None:
        """The input the pending <Gather> takes ("dtmf", "dtmf speech"), or None."""
        return self._gather.get("input", "dtmf") if self._gather is not None else None

    # --- Twilio's side ------------------------------------------------------------------------------------
    def signed_post(self, url: str, params: dict) -> requests.Response:
        signature = RequestValidator(self.auth_token).compute_signature(url, params)
        started = time.perf_counter()
        response = requests.post(url, data=params, headers={"X-Twilio-Signature": signature}, timeout=30)
        self.requests.append(Request(url, params, response.status_code, (time.perf_counter() - started) * 1000))
        return response

    def _params(self, status: str = "in-progress", **extra) -> dict:
        return {"AccountSid": ACCOUNT_SID, "CallSid": self.call_sid, "From": self.caller, "To": self.number,
                "CallStatus": status, "Direction": "inbound", "ApiVersion": "2010-04-01", **extra}

    def _request(self, url: str, extra: dict, status: str = "in-progress") -> None:
        response = self.signed_post(url, self._params(status, **extra))
        if response.status_code != 200:
            raise AssertionError(f"{url} answered {response.status_code}: {response.text[:300]}")
        self._document_url = url
        self._run(list(ET.fromstring(response.text)))

    def _waiting(self) -> ET.Element:
        if self.ended or self._gather is None:
            raise AssertionError("the call is not waiting for the caller")
        return self._gather

    def _answer_gather(self, extra: dict) -> None:
        gather, self._gather = self._gather, None
        action = urljoin(self._document_url, gather.get("action") or self._document_url)
        self._request(action, extra)

    def _run(self, verbs: list[ET.Element]) -> None:
        for index, verb in enumerate(verbs):
            if verb.tag == "Say":
                self.heard.append(verb.text or "")
            elif verb.tag == "Gather":
                self.heard.extend(say.text or "" for say in verb if say.tag == "Say")
                self._gather, self._after_gather = verb, verbs[index + 1:]
                return
            elif verb.tag == "Redirect":
                self._request(urljoin(self._document_url, verb.text.strip()), {})
                return
            elif verb.tag == "Dial":
                self.dialled.append((verb.text or "").strip())
            elif verb.tag == "Hangup":
                self._end()
                return
            elif verb.tag == "Pause":
                continue
            else:
                raise AssertionError(f"the simulator does not know <{verb.tag}>")
        self._end()  # Twilio hangs up when the document runs out of verbs

    def _end(self) -> None:
        self.ended, self._gather = True, None
        url = self.base_url.rstrip("/") + "/voice/status"
        response = self.signed_post(url, self._params("completed", CallDuration="60"))
        if response.status_code >= 300:
            raise AssertionError(f"status callback answered {response.status_code}")
