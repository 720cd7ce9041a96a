"""Named conditions on transitions.

Each is a predicate on a dossier, with a docstring saying why it exists and a message that tells
a user, in their language, what is missing when it fails. Conditions read only what is already
loaded or cheap to count; they never write.
"""

from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def condition(message, *, hides_step: bool = False):
    """Attach the message shown when the condition fails.

    ``hides_step``: the condition says whether the step exists at all for this dossier (its
    service has no inspection, say), not what is missing yet: when it fails, the step is not
    offered, rather than listed with a reason nobody can act on.
    """

    def decorate(predicate: Callable) -> Callable:
        predicate.message = message
        predicate.hides_step = hides_step
        return predicate

    return decorate


@condition(_("This service has no site inspection."), hides_step=True)
def service_has_inspection(dossier) -> bool:
    """Only services that declare an inspection step may be sent to inspection."""
    return dossier.service.has_inspection


@condition(_("This service has no appointment step."), hides_step=True)
def service_has_appointment(dossier) -> bool:
    """Only services that declare an appointment (e.g. biometrics) may give one."""
    return dossier.service.has_appointment


@condition(_("This service has no public-notice period."), hides_step=True)
def service_has_public_notice(dossier) -> bool:
    """Only services that declare a public-notice period may open one."""
    return dossier.service.has_public_notice


@condition(_("The public-notice period is not over yet."))
def public_notice_period_over(dossier) -> bool:
    """A notice may be closed only once the public has had the full period to object."""
    notice = dossier.open_scheduled_step()
    return (
        notice is not None and notice.ends_on is not None and timezone.localdate() >= notice.ends_on
    )


@condition(_("Nothing is scheduled at the moment."), hides_step=True)
def visit_scheduled(dossier) -> bool:
    """A no-show is recorded against the appointment or inspection under way, if there is one:
    once recorded, the step is closed, and only a new date can follow."""
    return dossier.open_scheduled_step() is not None


@condition(_("Nobody came at the last date: give a new date first."))
def new_date_given(dossier) -> bool:
    """After a no-show, what happened can be recorded only for the new date, once it is set."""
    return dossier.open_scheduled_step() is not None


@condition(_("A new date is given after a no-show only."), hides_step=True)
def waiting_for_new_date(dossier) -> bool:
    """The appointment or inspection was missed (``record_no_show``): the dossier waits for a
    new date, and none is set yet. Otherwise there is nothing to reschedule."""
    return dossier.open_scheduled_step() is None


@condition(_("This service has no fee, or the fee is already paid."), hides_step=True)
def fee_is_due(dossier) -> bool:
    """Ask for payment only when the service has a fee and it is not paid yet."""
    return dossier.service.requires_payment and not dossier.is_paid


@condition(_("The fee has not been paid yet."))
def fee_is_settled(dossier) -> bool:
    """A dossier leaves the office only once its fee, if any, is paid."""
    return not dossier.service.requires_payment or dossier.is_paid


@condition(_("A mandatory document is missing."))
def mandatory_documents_attached(dossier) -> bool:
    """The institution must receive every document the catalogue marks mandatory."""
    return not dossier.missing_mandatory_documents()


@condition(
    _("The applicant's name, national ID number, date of birth, phone and commune are required.")
)
def applicant_identified(dossier) -> bool:
    """A dossier is filed for a known person; drafts may still lack some of these details."""
    return all(
        (
            dossier.applicant_first_name,
            dossier.applicant_last_name,
            dossier.applicant_national_id,
            dossier.applicant_phone,
            dossier.applicant_birth_date,
            dossier.applicant_commune_id,
        )
    )


@condition(_("No routing rule names the institution that decides on this service here."))
def routing_rule_exists(dossier) -> bool:
    """A dossier can only be forwarded to an institution that a routing rule names."""
    return dossier.routed_institution() is not None


def hides_step(conditions, dossier) -> bool:
    """True when a condition that decides whether the step exists at all fails."""
    return any(getattr(check, "hides_step", False) and not check(dossier) for check in conditions)


def unmet(conditions, dossier) -> list[str]:
    """The messages of the conditions this dossier does not meet, in order."""
    return [str(check.message) for check in conditions if not check(dossier)]
