"""What a caller's message is: an emergency, a stop, a question, a yes, a no, or an answer. Decided here, in one
place, between the classifier (data/nlu) and the few rules where a misreading would cost the caller.

Precedence, the first that holds:

1. An emergency, as actions/safety.py decides it: a sign said as happening now, whatever the classifier read;
   not one when every sign is ruled out or past; otherwise the classifier's `emergency` at
   CONFIDENCE["emergency"]. 999 advice, and the referral pauses (actions/pause.py).
2. A paused referral: only "carry on" (or, on the telephone, yes to end the call) moves it (pause.decision).
3. What the forms step aside for (their ignored_intents in domain.yml, then data/rules): `question` (answered,
   never a slot's value: data/rules/questions.yml), `human_handoff`, `start_again`, and `stop` only when a word
   says stop (says_stop; "send it" is no stop, so it is the answer to the question asked).
4. "Carry on" with nothing paused, at CONFIDENCE["carry_on"]: no answer, the question again (form_base). Below
   it the words are the answer: "I keep falling" half-read as carry on is the reason for the referral.
5. A yes or a no to a closed question: the classifier's `affirm`, or its `deny` only with a word that says no
   (yes_or_no), then a yes in other words to that question (YES_IN_OTHER_WORDS); a question asked instead of
   answering one is no answer (question_instead).
6. Who is calling, at the first question: the classifier's `i_am_professional` or `i_am_public` at
   CONFIDENCE["caller"]; below it family words before job titles (caller_type_in).
7. Otherwise an answer: the slot's own validate_<slot> judges the words, numbers, dates and postcodes through
   actions/parsing.py (spoken forms first: referral_rules/spoken.py).

A message the classifier misreads goes into the NLU training data (and, as it was said, into the hold-out set
tests/nlu_holdout/), not into a new rule here.
"""
from __future__ import annotations

import re

from rasa_sdk import Tracker

from .context import service
from .parsing import plain

# The classifier's confidence at which its intent is taken without the words' say. One setting for all.
CONFIDENCE = {
    "caller": 0.7,      # i_am_professional / i_am_public, and stepping aside from the very first question
    "emergency": 0.6,   # lower: a missed emergency costs more than a false alarm
    "carry_on": 0.8,    # with nothing paused: a misread here would throw an answer away
}

_YES = re.compile(r"^\s*(y|yes|yeah|yep|yup|aye|correct|right|sure|ok|okay|true|she does|he does|they do|"
                  r"it is|that'?s right|affirmative|absolutely|definitely|please do)\b", re.I)
_NO = re.compile(r"^\s*(n|no|nope|nah|not|none|false|negative|she doesn'?t|he doesn'?t|they don'?t|never)\b", re.I)
# A "no" says so: the classifier's deny on "I think so" or "she was with you last year" is not trusted.
_NEGATION = re.compile(r"\b(n|no+|not|nope|nah|never|none|neither|nor|nothing|nobody|negative|wrong|incorrect|"
                       r"refused|refuses|declined|declines|don'?t|doesn'?t|didn'?t|isn'?t|wasn'?t|weren'?t|"
                       r"hasn'?t|haven'?t|hadn'?t|can'?t|cannot|won'?t|wouldn'?t|aren'?t)\b", re.I)
_DONT_KNOW = re.compile(r"\b(don'?t know|do not know|dunno|not sure|no idea|unknown|not to hand|don'?t have|"
                        r"can'?t remember|not available)\b", re.I)


# "Send it" is a yes only to the read-back, whatever the classifier made of it.
_SEND_IT = re.compile(r"\b(send|submit)\b", re.I)
# The whole of a yes or a no, for a question that is no more than one ("yes?").
YES_NO = {"yes": ("y", "yes", "yeah", "yep", "yup", "aye", "correct", "right", "sure", "ok", "okay", "yes please",
                  "she does", "he does", "they do", "it is"),
          "no": ("n", "no", "nope", "nah", "not", "never", "none", "no she doesn t", "no he doesn t", "she doesn t",
                 "he doesn t", "they don t", "no they don t")}


def intent_of(tracker: Tracker) -> str | None:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def says_carry_on(tracker: Tracker) -> bool:
    """"Carry on" with nothing paused, when the classifier is sure of it."""
    intent = (tracker.latest_message or {}).get("intent") or {}
    return intent.get("name") == "carry_on" and (intent.get("confidence") or 0) >= CONFIDENCE["carry_on"]


# A question starts with a question word, or with a verb asking about someone ("is it", "can you", "does she").
_ASKING = re.compile(r"^\s*((which|what|how|why|when|who|whose|where)\b|"
                     r"(can|could|is|are|does|do|did|will|would|should|shall|may|has|have)\s+(i|you|we|they|he|she|"
                     r"it|there|that|this|the|my|your|her|his|their|one|someone|anyone|somebody|anybody)\b)", re.I)
_FILLER = {"please", "the", "one", "um", "umm", "erm", "er", "uh", "so", "then", "thanks"}


def is_question(text) -> bool:
    """"Which one is quicker?", "what does that service mean": a question rather than an answer."""
    text = plain(text).strip()
    return bool(re.search(r"\?[\s!.)]*$", text) or _ASKING.match(text))


def question_instead(text, answers: dict[str, tuple[str, ...]]) -> bool:
    """A question asked instead of answering a closed question ("which one is quicker?"), unless all it says is
    one of the answers ("<a service>?", "yes?"). A question never fills a slot: it is asked again."""
    if not is_question(text):
        return False
    said = " ".join(w for w in re.sub(r"[^a-z0-9 ]+", " ", plain(text).lower()).split() if w not in _FILLER)
    return not any(said in phrases for phrases in answers.values())


# A yes in other words, to one closed question only: what the words mean there and nowhere else. The classifier
# is taught these (data/nlu/answers.yml); the table holds when it reads them otherwise ("all good thanks" is
# thanks, "she was with you last year" an answer). Another question's "yes in other words" goes here.
YES_IN_OTHER_WORDS = {
    # "has the service supported this person before?"
    "supported_before": re.compile(
        r"\b(think so|believe so|with you|you (saw|seen|came|visited|helped|supported|treated|had)|"
        r"(seen|helped|supported|visited|treated|looked after) by (you|your)|"
        r"your (team|service|therapists?|nurses?|physios?|people))\b", re.I),
    # the read-back: "is that all correct?"
    "confirmed": re.compile(
        r"\b(send|submit|go ahead|looks? (good|right|fine|correct|ok)|all (good|correct|fine|right|ok)|"
        r"spot on|perfect|lovely|great|brilliant|that'?s (fine|good|it|correct|right))\b", re.I),
}


def yes_in_other_words(slot: str, text: str) -> bool:
    """A yes to this question in the caller's words ("your team came out after her operation")."""
    return bool(YES_IN_OTHER_WORDS[slot].search(text or ""))


def yes_or_no(tracker: Tracker, text: str) -> bool | None:
    intent = intent_of(tracker)
    if intent == "affirm" and not _SEND_IT.search(text or ""):
        return True
    if intent == "deny" and negated(text):
        return False
    if _YES.search(text or ""):
        return True
    if _NO.search(text or ""):
        return False
    return None


def negated(text: str) -> bool:
    """The words say no, whatever the classifier made of them."""
    return bool(_NEGATION.search(text or ""))


def says_dont_know(tracker: Tracker, text: str) -> bool:
    return intent_of(tracker) == "dont_know" or bool(_DONT_KNOW.search(text or ""))


# A stop says so. The classifier has heard "send it" as a stop (it was taught "don't send it").
_STOP_WORDS = re.compile(r"\b(stop|cancel|forget|never ?mind|don'?t|do not|leave it|bother|quit|exit|end|ending|"
                         r"terminate|abandon|abort|scrap|withdraw|change(d)? my mind|(call|ring|phone|come) back|"
                         r"another time|later|hang up|close|go now|going now|have to go|got to go|no more|enough)\b",
                         re.I)


def says_stop(text: str) -> bool:
    return bool(_STOP_WORDS.search(text or ""))


_PUBLIC_WORDS = re.compile(r"\b(my (mum|mother|dad|father|nan|gran|grandma|grandad|grandfather|grandmother|husband|"
                           r"wife|partner|son|daughter|brother|sister|aunt|uncle|neighbour|friend|wife's|husband's)|"
                           r"myself|for me|about me|i'?m (his|her|their) (carer|son|daughter|wife|husband)|"
                           r"carer|family|relative|member of the public|i'?m the patient|about myself)\b", re.I)


def caller_type_in(tracker: Tracker) -> str | None:
    """Who is calling: the classifier's i_am_professional or i_am_public at CONFIDENCE["caller"]; below it the
    words, family words before job titles, so "I'm not a nurse, it's my mum" is a member of the public."""
    message = tracker.latest_message or {}
    text = message.get("text") or ""
    intent = message.get("intent") or {}
    if (intent.get("confidence") or 0) >= CONFIDENCE["caller"]:
        if intent.get("name") == "i_am_professional":
            return "professional"
        if intent.get("name") == "i_am_public":
            return "public"
    if _PUBLIC_WORDS.search(text):
        return "public"
    if service().profession_in(text):
        return "professional"
    return None
