"""Possible emergencies: 999 advice comes before anything else, whatever the caller was asked.

Whether a message is an emergency (``emergency_in``) is decided in this order:
1. A sign of one said as happening now ("he's collapsed", "she isn't breathing", "call an ambulance") is one,
   whatever the classifier read: a missed emergency costs the most.
2. A message whose signs are all ruled out ("no chest pain", "she's not unconscious, just sleepy") or in the
   past ("collapsed last week and was admitted", "an overdose in 2019"), with nothing said to be so now, is not
   one: a reason for referral tells the patient's story. Nor is a message that says it is not an emergency
   ("not an emergency but...") or asks about emergencies in general ("who do I ring in an emergency?").
3. Otherwise the classifier decides: the emergency intent at CONFIDENCE["emergency"] (actions/decision.py).
Signs are read clause by clause (between commas, "and", "but", "now"): a sign is ruled out by a "no", "not",
"denies" just before it, and in the past by a time in its clause ("last week", "in 2019",
"admitted") unless the clause also says now ("had a fall last week and is bleeding heavily now").
"""
from __future__ import annotations

import re

from rasa_sdk import Tracker

from referral_rules.service_definition import ServiceDefinition

from .context import service
from .decision import CONFIDENCE

# The signs, grouped: breathing, chest, consciousness, stroke, bleeding, self-harm and overdose, the rest.
_SIGNS = re.compile(
    r"\b((is ?n[o']?t|not|stopped) breathing|breathing (has )?stopped|can'?t breathe|cannot breathe|"
    r"struggling to breathe|choking|"
    r"chest pains?|having a heart attack|no pulse|(doing|giving|started?) cpr|"
    r"collapsed|unconscious|unresponsive|out cold|(won'?t|not|can'?t) (wake|waking|rouse)|"
    r"(won'?t|not|is ?n'?t|is ?nt) (respond|responding)( to (me|us|anyone|anything|his name|her name))?(?! to)|"
    r"(is ?n'?t|is ?nt|not) moving(?! (around|about|much|well|far|as|so|very))|"
    r"having a (seizure|fit)|fitting|having a stroke|face (has )?(dropped|drooping)|facial droop|"
    r"bleeding (heavily|badly|a lot)|severe bleeding|won'?t stop bleeding|haemorrhag(e|ing)|"
    r"overdosed?|(took|taken|swallowed) (about |around |over |nearly |at least )?"
    r"((a )?((whole|full) )?(box|packet|bottle)|\d\d+|[a-z]+ty|[a-z]+teen|ten|twelve|all( of)? the)"
    r"( of)?( (his|her|their|my))?( \w+)? (tablets|pills|paracetamol|co-?codamol|codeine|capsules|medication)|"
    # "taken all her medication" is as often her usual doses: only all at once, or swallowed, is a sign
    r"(took|taken|swallowed) all\b[^.,;]{0,40}\b(at once|in one go)|swallowed all( of)?( (his|her|their|my))?( \w+)? "
    r"(tablets|pills|medication)|"
    r"cut (his|her|their|my) wrists|suicidal|kill (him|her|my|them)sel(f|ves)|end (his|her|their|my) life|"
    # a threat to jump from a height ("jump the queue", "jump in the bath" are not one)
    r"((threaten(ing|s|ed)?|going|about|wants?|trying) to|(he|she|they|i)('ll| will)) "
    r"jump(?! (the|in|into|at|through|up))|"
    r"on fire|(full of|filling with) smoke|"
    r"(call|ring|phone|get|send|need)( me| us| him| her)? an ambulance)\b",  # (the number is the service file's)
    re.IGNORECASE)
# Recent is now (an overdose "an hour ago" is an emergency): only days, weeks, months and years are the past,
# and a habit ("gets chest pain on exertion") is not an emergency happening now.
_PAST = re.compile(
    r"\b(last (week|month|year|\w+day)|yesterday|(days?|weeks?|months?|years?|fortnight) ago|in (19|20)\d\d|"
    r"in (january|february|march|april|may|june|july|august|september|october|november|december)|on \w+day|"
    r"in the (spring|summer|autumn|winter)|back in|history of|previous(ly)?|in the past|as a (child|teenager)|"
    r"admitted|admission|discharged|recover(ed|ing)|gets|on exertion|occasional(ly)?|for (months|years))\b",
    re.IGNORECASE)
_NOW = re.compile(r"\b(now|at the moment|currently|still)\b", re.IGNORECASE)
# "Oh no, he's collapsed" is not ruled out: the word that rules a sign out comes right before it.
_RULED_OUT = re.compile(r"\b(no|not|never|denies|denied|without|nil|(is|was|has|had|did|does|have|are|were)n'?t)"
                        r"\s+((any|further|new|more|recent|current|active|obvious)\s+)?$", re.IGNORECASE)
_CLAUSES = re.compile(r"[.,;:!?]+|\b(?:and|but)\b|\s(?=now\s+\w)", re.IGNORECASE)
_NOT_AN_EMERGENCY = re.compile(r"\b(not|isn'?t|no|in)( an?)? emergency\b", re.IGNORECASE)


def signs_in(text: str) -> list[bool]:
    """Each sign of an emergency in the message: True if said as happening now, False if ruled out or past."""
    signs = []
    for clause in _CLAUSES.split(text.replace("\u2019", "'")):
        for sign in _SIGNS.finditer(clause):
            ruled_out = _RULED_OUT.search(clause[:sign.start()])
            signs.append(not ruled_out and bool(_NOW.search(clause) or not _PAST.search(clause)))
    return signs


def emergency_in(text: str, intent: str, confidence: float) -> bool:
    number = re.escape(service().emergency_number)
    if re.search(rf"\b(call|ring|phone|dial|get)( me| us)? {number}\b", text, re.IGNORECASE):
        return True  # asking for the emergency number ("call 999 please") is asking for help now
    signs = signs_in(text)
    if any(signs):
        return True
    if (signs and not _NOW.search(text)) or _NOT_AN_EMERGENCY.search(text):
        return False
    return intent == "emergency" and confidence >= CONFIDENCE["emergency"]


def is_emergency(tracker: Tracker) -> bool:
    message = tracker.latest_message or {}
    intent = message.get("intent") or {}
    return emergency_in(message.get("text") or "", intent.get("name") or "", intent.get("confidence") or 0)


def emergency_advice(definition: ServiceDefinition) -> str:
    return (f"If someone is seriously ill or injured, or their life is at risk, call {definition.emergency_number} "
            f"now. For urgent advice that is not an emergency, call NHS {definition.urgent_advice_number}.")
