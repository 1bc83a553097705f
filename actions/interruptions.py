"""What a caller can say at any point: stop, start again, speak to a person, an emergency, who are you, goodbye."""
from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset, FollowupAction, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from referral_rules.clock import now

from . import pause
from .authentication import ValidateProfessionalForm
from .clinical import ValidateClinicalForm
from .context import hours_text
from .decision import says_stop
from .form_base import channel_of, service
from .patient import ValidatePatientForm
from .public_callers import ValidatePublicForm
from .safety import emergency_advice, is_emergency
from .service_choice import ValidateServiceForm
from .summary import ValidateConfirmForm, field_named, start_correction

# Each form's validation by the form's name: an answer that reaches a slot by another way is checked by it too.
VALIDATIONS = {validation.form_name(): validation for validation in (
    ValidateProfessionalForm(), ValidatePublicForm(), ValidateServiceForm(), ValidatePatientForm(),
    ValidateClinicalForm(), ValidateConfirmForm())}


class ActionStop(Action):
    """Nothing is submitted, and nothing the caller said is kept in the conversation. Part way through a
    referral the caller is asked once to be sure, since everything they gave would be lost."""

    def name(self) -> str:
        return "action_stop"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        form = tracker.active_loop_name
        text = (tracker.latest_message or {}).get("text") or ""
        if form == "confirm_form" and field_named(text):  # "no, change the phone number" is not a stop
            return [*(SlotSet(k, v) for k, v in start_correction(field_named(text)).items()), FollowupAction(form)]
        asked = tracker.get_slot("requested_slot")
        if tracker.get_slot(pause.PAUSED) and not says_stop(text):
            pause.still_paused(dispatcher, tracker)  # nothing is taken as an answer while paused
            return [FollowupAction(form)] if form else []
        if form in VALIDATIONS and asked and not says_stop(text):
            # The answer to the question, checked by the question's own rule: the form, coming back after
            # this action, validates nothing itself ("send it" is no answer to "does the patient live alone?").
            answer = await VALIDATIONS[form].checked(asked, text, dispatcher, tracker, domain)
            if answer.get(asked) is not None and tracker.get_slot("stop_requested"):
                answer["stop_requested"] = None  # they carried on
            return [*(SlotSet(name, value) for name, value in answer.items()), FollowupAction(form)]
        if form and form != "caller_form" and not tracker.get_slot("stop_requested"):
            dispatcher.utter_message(text="Do you want to stop this referral? Nothing will be sent. Say \"stop\" "
                                          "again to stop, or answer the question to carry on.")
            return [SlotSet("stop_requested", True), FollowupAction(form)]
        dispatcher.utter_message(text="OK, I've stopped. Nothing has been sent and I haven't kept the details. "
                                      "You can start a new referral at any time.")
        return [ActiveLoop(None), AllSlotsReset()]


class ActionStartAgain(Action):
    def name(self) -> str:
        return "action_start_again"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        dispatcher.utter_message(text="OK, let's start again from the beginning.")
        return [ActiveLoop(None), AllSlotsReset()]


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        d = service()
        hours = hours_text(d)
        if channel_of(tracker) == "voice":
            return self.on_the_phone(dispatcher, d, hours)
        if d.is_open(now()):
            text = (f"You can speak to the team on {d.referral_line_phone}, option {d.referral_line_option}; "
                    f"they're there {hours}.")
        else:
            text = (f"The team is closed just now; they're on {d.referral_line_phone}, option "
                    f"{d.referral_line_option}, {hours}. If it's urgent call NHS {d.urgent_advice_number}, "
                    f"or {d.emergency_number} in an emergency.")
        if tracker.active_loop_name:
            text += " Or we can carry on here:"
        dispatcher.utter_message(text=text)
        return []

    @staticmethod
    def on_the_phone(dispatcher: CollectingDispatcher, d, hours: str):
        """On the phone the caller is put through (in hours) or told the hours; the json payload tells the voice
        gateway to <Dial> the team (SPR_STAFF_NUMBER or the file's transfer_phone; with neither it gives the
        line's number) or, out of hours, to offer a call back when the team opens (the gateway takes the
        caller's number from Twilio, stores the request and says goodbye: the number never comes here)."""
        if d.is_open(now()):
            dispatcher.utter_message(text="I'll put you through to the team now. Please hold.")
            dispatcher.utter_message(json_message={"voice": "transfer"})
        else:
            dispatcher.utter_message(
                text=f"The team is closed just now. They're on {d.referral_line_phone}, option "
                     f"{d.referral_line_option}, {hours}. If it's urgent call NHS {d.urgent_advice_number}, "
                     f"or {d.emergency_number} in an emergency.")
            dispatcher.utter_message(json_message={"voice": "offer_callback"})
        return []


class ActionEmergency(Action):
    def name(self) -> str:
        return "action_emergency"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        if not is_emergency(tracker):  # the classifier's emergency, overruled ("she collapsed last week")
            return await ActionDefaultFallback().run(dispatcher, tracker, domain)
        dispatcher.utter_message(text=emergency_advice(service()))
        return []


class ActionDefaultFallback(Action):
    def name(self) -> str:
        return "action_default_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        if not tracker.get_slot("caller_type") and not tracker.active_loop_name:
            # Nothing has begun: whatever the first words were ("I'm a physio", "<a service> please"),
            # the referral starts, and the first question works out who is calling from those words.
            return [FollowupAction("caller_form")]
        dispatcher.utter_message(text=f"Sorry, I didn't understand that. I can take a referral to the "
                                      f"{service().name}: say hello to begin, or \"speak to a person\".")
        # As Rasa's own fallback does: forget the message, so the assistant waits for the next one.
        return [UserUtteranceReverted()]


class ActionBotChallenge(Action):
    """"Are you a bot?" The service's names come from its file, so this is an action, not a domain response."""

    def name(self) -> str:
        return "action_bot_challenge"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        d = service()
        if channel_of(tracker) == "voice":
            dispatcher.utter_message(text=f"I'm the automated assistant for the {d.name} referral line. I can take "
                                          f"a referral, or put you through to the team: just say speak to a person.")
        else:
            dispatcher.utter_message(text=f"I'm the automated assistant for the {d.short_name} referral line. I can "
                                          f"take a referral, or give you the number to speak to the team.")
        return []


class ActionGoodbye(Action):
    def name(self) -> str:
        return "action_goodbye"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        contacting = "calling" if channel_of(tracker) == "voice" else "contacting"
        dispatcher.utter_message(text=f"Thank you for {contacting} the {service().name}. Goodbye.")
        return []
