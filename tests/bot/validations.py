"""Every form's validations, and the intake API they call replaced at the unit's border."""
import inspect

from actions import intake_client
from actions.authentication import ValidateProfessionalForm
from actions.caller import ValidateCallerForm
from actions.clinical import ValidateClinicalForm
from actions.patient import ValidatePatientForm
from actions.public_callers import ValidatePublicForm
from actions.service_choice import ValidateServiceForm
from actions.summary import ValidateConfirmForm
from referral_rules import validation


def all_validations() -> list:
    """(form validation, slot) for every validate_<slot> of every form; the PIN's is the channel's outcome."""
    forms = [ValidateCallerForm(), ValidateProfessionalForm(), ValidatePublicForm(), ValidateServiceForm(),
             ValidatePatientForm(), ValidateClinicalForm(), ValidateConfirmForm()]
    return [(form, name[len("validate_"):]) for form in forms for name, _ in inspect.getmembers(form, callable)
            if name.startswith("validate_") and name != "validate_pin"]


def without_intake_api(patch) -> None:
    """With ``patch`` (a pytest MonkeyPatch): every postcode is in the area, every client is found."""

    async def routing(postcode):
        return intake_client.Reply(200, {"postcode": validation.postcode(postcode), "in_area": True,
                                         "borough": {"code": "E09000033", "name": "Westminster"}})

    async def lookup_client(*args, **kwargs):
        return intake_client.Reply(200, {"returning_client": True, "verification": {"token": "proof"}})

    patch.setattr(intake_client, "routing", routing)
    patch.setattr(intake_client, "lookup_client", lookup_client)
