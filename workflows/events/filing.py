"""Filing: a draft started and saved online, submitted; a dossier filed at the counter.

Also the two writes that only concern the citizen's access: linking held dossiers to the account
they sign in to, and sending them the link that reopens their application.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from gup.roles import Role
from services.answers import clean_answers, labelled_errors
from workflows import citizen_access, clock, online, pending_uploads, sla
from workflows import permissions as may
from workflows.actors import Actor, ActorKind
from workflows.applicant import clean_applicant
from workflows.events.base import AlreadyDone, Event, TransitionEvent
from workflows.exceptions import InvalidInput, NotAllowed, TransitionRefused
from workflows.models import Channel, Dossier
from workflows.numbering import allocate_tracking_number
from workflows.states import DossierState as S


def _submission(dossier, now) -> dict:
    """The tracking number and the expected date a dossier gets when it is filed."""
    today = timezone.localdate(now)
    # The delay promised now is kept: the catalogue may change, the promise does not.
    dossier.target_working_days = dossier.service.target_working_days
    calendar = clock.calendar_for(dossier.office_id)
    return {
        "tracking_number": allocate_tracking_number(dossier.office, today.year),
        "submitted_at": now,
        "due_date": sla.expected_date(today, dossier.target_working_days, calendar=calendar),
    }


def _offered_here(service, office) -> list[str]:
    problems = []
    if not service.is_active:
        problems.append(_("This service is not offered at the moment."))
    if office is not None and not office.is_active:
        problems.append(_("This office is closed. Choose another one."))
    return problems


def _answer_problems(service, answers: dict, *, given_only: bool = False):
    """``(stored answers, messages)``: the service's checks, each led by its question's label.

    ``given_only``: a draft's page, checked on the answers it gives; the questions not
    answered yet (on this page or the next ones) are caught before filing.
    """
    stored, errors = clean_answers(service, answers)
    messages = [
        message
        for code, code_messages in labelled_errors(service, errors).items()
        if not given_only or code in answers
        for message in code_messages
    ]
    return stored, messages


def _attach_documents(dossier, ctx, documents) -> list:
    """Attach ``documents``: RequiredDocument (or None for another document) → InspectedUpload,
    as a dict or as ``(document, upload)`` pairs (several other documents); return the rows."""
    pairs = list(documents.items() if isinstance(documents, dict) else documents)
    for document, _inspected in pairs:
        if document is not None and document.service_id != dossier.service_id:
            raise InvalidInput(_("This document does not belong to this service."))
    return ctx.files.attach_all(dossier, pairs, ctx.actor)


# --- Online -----------------------------------------------------------------------------------


class DraftStarted(Event):
    """Someone opens an online application: a draft at the office they chose.

    A signed-in citizen's draft belongs to their account, with their contact details filled in.
    Anyone else proves it is theirs with its resume link only (``token_hash`` is the hash of
    the secret the caller keeps and gives the citizen).
    """

    name = "draft_started"
    label = gettext_lazy("Application started online")
    is_public = False
    creates = True

    def check(self, dossier, ctx) -> None:
        actor = ctx.actor
        if actor is not None and actor.kind != ActorKind.CITIZEN:
            # Staff file at the counter; an anonymous visitor becomes the link's holder.
            ctx.actor = None

    def input_problems(self, dossier, ctx) -> list[str]:
        return _offered_here(ctx.inputs["service"], ctx.inputs["office"])

    def create(self, ctx) -> Dossier:
        account = ctx.actor.user if ctx.actor is not None else None
        language = ctx.inputs.get("language")
        prefill = {}
        if account is not None:
            prefill = {
                "applicant_first_name": account.first_name,
                "applicant_last_name": account.last_name,
                "applicant_phone": account.phone,
                "applicant_email": account.email,
            }
        dossier = Dossier.objects.create(
            service=ctx.inputs["service"],
            office=ctx.inputs["office"],
            channel=Channel.ONLINE,
            applicant_account=account,
            created_by=account,
            language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
            resume_token_hash=ctx.inputs["token_hash"],
            current_step=online.APPLICANT,
            **prefill,
        )
        if ctx.actor is None:
            ctx.actor = Actor.resume_link(dossier.pk)
        return dossier


class DraftSaved(Event):
    """One page of the online form is kept: the office, the applicant, answers, documents.

    What was valid on the page is kept even when the page had errors (``complete`` False), so
    nothing typed correctly is lost; the citizen then stays on the page. A saved page never
    changes the state.
    """

    name = "draft_saved"
    label = gettext_lazy("Application saved")
    is_public = False
    waits = True
    permission = staticmethod(may.applicant)

    def check(self, dossier, ctx) -> None:
        super().check(dossier, ctx)
        if dossier.state != S.DRAFT:
            raise TransitionRefused(
                _("This application has been sent already: it can no longer be changed here.")
            )

    def input_problems(self, dossier, ctx) -> list[str]:
        page = ctx.inputs["page"]
        if page not in online.steps_for(dossier.service):
            return [_("Unknown step.")]
        if page == online.OFFICE:
            return _offered_here(dossier.service, ctx.inputs["office"])
        if page == online.APPLICANT:
            values = {
                name: value
                for name, value in ctx.inputs["applicant"].items()
                if name in online.APPLICANT_FIELDS
            }
            _cleaned, errors = clean_applicant(values, partial=True)
            return [message for messages in errors.values() for message in messages]
        if page.startswith(online.QUESTIONS):
            answers = ctx.inputs["answers"]
            return _answer_problems(dossier.service, answers, given_only=True)[1]
        return []

    def apply(self, dossier, ctx) -> None:
        page = ctx.inputs["page"]
        complete = ctx.inputs.get("complete", True)
        ctx.details["page"] = page
        if page == online.OFFICE:
            dossier.office = ctx.inputs["office"]
        elif page == online.APPLICANT:
            for name, value in ctx.inputs["applicant"].items():
                if name in online.APPLICANT_FIELDS:
                    setattr(dossier, name, value)
        elif page == online.DOCUMENTS:
            documents = ctx.inputs["documents"]
            kept = ctx.files.replace(dossier, documents)
            _attach_documents(dossier, ctx, documents)
            attached = kept | {document.pk for document in documents}
            complete = complete and not dossier.missing_mandatory_documents(attached)
        else:
            dossier.answers = online.answers_after_page(
                dossier, page, ctx.inputs["answers"], ctx.inputs["codes"]
            )
        if complete:
            online.mark_reached(dossier, page)


class Submit(TransitionEvent):
    """The citizen (online) or a clerk for them files the draft: it gets its tracking number.

    With ``idempotent=True`` (the online form), a double click or a form sent twice finds the
    dossier already submitted (the second request waits for the first on the row lock) and
    returns it unchanged, so there is never a second dossier nor a second history row.
    """

    name = "submit"
    label = gettext_lazy("Submit")
    history_label = gettext_lazy("Filed online")
    waits = True
    offered = False

    def check(self, dossier, ctx) -> None:
        # ``idempotent``: the online form's button, where a second click must find the first.
        again = ctx.inputs.get("idempotent") and dossier.submitted_at is not None
        if again and may.applicant_or_office_staff(dossier, ctx.actor):
            raise AlreadyDone(dossier)
        try:
            super().check(dossier, ctx)
        except TransitionRefused:
            # An incomplete draft (the applicant not identified yet): say what is missing,
            # page by page, rather than only that the step is not possible. Strangers were
            # refused above with NotAllowed, and are told nothing.
            if dossier.state == S.DRAFT:
                self.clean(dossier, ctx)
            raise

    def clean(self, dossier, ctx) -> None:
        problems = online.problems_before_submit(dossier)
        if problems:
            raise InvalidInput(
                _("Your application is not complete yet."),
                details=[message for _page, message in problems],
            )

    def arguments(self, dossier, ctx) -> dict:
        dossier.current_step = online.CHECK
        return _submission(dossier, ctx.now)


# --- At the counter ---------------------------------------------------------------------------


class FiledAtCounter(Event):
    """A clerk files a dossier for a walk-in citizen: created, filed and taken for checking.

    The counter form carries a ``filing_key`` from the moment it is shown: sending the same form
    twice, one after the other or at the same moment, returns the dossier the first one filed.
    """

    name = "filed_at_counter"
    label = gettext_lazy("File a dossier")
    history_label = gettext_lazy("Filed at the counter")
    creates = True
    offered = False

    def check(self, dossier, ctx) -> None:
        if ctx.actor is None or ctx.actor.office_id is None:
            raise NotAllowed(_("Only the staff of a GUP office file at the counter."))
        existing = Dossier.objects.filter(filing_key=ctx.inputs["filing_key"]).first()
        if existing is not None:
            raise AlreadyDone(existing)

    def clean(self, dossier, ctx) -> None:
        service = ctx.inputs["service"]
        problems = _offered_here(service, None)
        applicant, applicant_errors = clean_applicant(ctx.inputs["applicant"])
        problems += [message for messages in applicant_errors.values() for message in messages]
        answers, answer_problems = _answer_problems(service, ctx.inputs["answers"])
        problems += answer_problems
        if problems:
            raise InvalidInput(details=problems)
        ctx.inputs["applicant"], ctx.inputs["answers"] = applicant, answers

    def create(self, ctx) -> Dossier:
        user = ctx.actor.user
        return Dossier.objects.create(
            service=ctx.inputs["service"],
            office=user.office,
            channel=Channel.COUNTER,
            created_by=user,
            answers=ctx.inputs["answers"],
            filing_key=ctx.inputs["filing_key"],
            **ctx.inputs["applicant"],
        )

    def apply(self, dossier, ctx) -> None:
        _attach_documents(dossier, ctx, ctx.inputs.get("documents", {}))
        # The files kept from the form's earlier tries are in the dossier now.
        pending_uploads.release(ctx.inputs["filing_key"], ctx.actor.user)
        dossier.submit(**_submission(dossier, ctx.now))
        dossier.start_intake(clerk=ctx.actor.user)

    @staticmethod
    def lookup_after_conflict(ctx):
        """The dossier a concurrent post with the same key filed first."""
        return Dossier.objects.filter(filing_key=ctx.inputs["filing_key"]).first()


class CitizenAnswer(TransitionEvent):
    """The citizen answers the office (online, or the clerk for them at the counter): a message
    and any documents they add. The dossier goes back to whoever was waiting for it.
    """

    answered_by_citizen = True
    waits = True
    #: At the counter: the clerk relays the answer and scans the documents the citizen brings.
    form = "workflows.forms.RelayedAnswerForm"

    def record(self, dossier, ctx) -> None:
        attached = _attach_documents(dossier, ctx, ctx.inputs.get("documents", {}))
        ctx.details["documents"] = len(attached)
        if attached:
            ctx.details["files"] = [attachment.original_name for attachment in attached]

    def describe(self, entry) -> str:
        # File names may name people: the public line counts the documents only.
        count = entry.details.get("documents") or 0
        text = super().describe(entry)
        if not count:
            return text
        return ngettext(
            "%(step)s, with %(count)s document", "%(step)s, with %(count)s documents", count
        ) % {"step": text, "count": count}

    def describe_for_staff(self, entry) -> str:
        files = entry.details.get("files")
        if not files:
            return self.describe(entry)
        return _("%(step)s, with: %(files)s") % {
            "step": super().describe(entry),
            "files": ", ".join(files),
        }


class Resubmit(CitizenAnswer):
    name = "resubmit"
    label = gettext_lazy("Resubmit")
    history_label = gettext_lazy("Corrected and sent back")
    comment_label = gettext_lazy("What was corrected")
    citizen_comment_label = gettext_lazy("What you corrected")


# --- The citizen's access ---------------------------------------------------------------------


class LinkedToAccount(Event):
    """A citizen's dossier filed without their account joins it, and shows in "my dossiers".

    Two proofs that the dossier is theirs: the resume link their browser holds (``token``: they
    sign up or in after starting online), or their phone (``by_phone=True``): the account's
    phone number, confirmed with a one-time code, is the one the filed dossier names
    (``permissions.phone_owner``): the counter filings of someone who signs up later. Dossiers
    that belong to an account stay theirs.
    """

    name = "linked_to_account"
    label = gettext_lazy("Linked to the citizen's account")
    is_public = False
    waits = True
    offered = False

    def check(self, dossier, ctx) -> None:
        actor = ctx.actor
        if actor.kind != ActorKind.CITIZEN or actor.role != Role.CITIZEN:
            raise NotAllowed()
        if ctx.inputs.get("by_phone"):
            proved = may.phone_owner(dossier, actor)
        else:
            proved = citizen_access.token_opens(ctx.inputs.get("token", ""), dossier)
        if not proved:
            raise NotAllowed()
        if dossier.applicant_account_id is not None:
            raise AlreadyDone(dossier)

    def apply(self, dossier, ctx) -> None:
        dossier.applicant_account_id = ctx.actor.user_id
        ctx.details["proof"] = "phone" if ctx.inputs.get("by_phone") else "resume_link"


class ResumeLinkSent(Event):
    """The link that reopens the application goes to the applicant's phone and email.

    It is the only copy of the secret the citizen gets besides the screen, so it is sent again
    whenever the contact details change. The link itself is given to the side effect only: it
    is never stored, and never written to a log.
    """

    name = "resume_link_sent"
    label = gettext_lazy("Link to the application sent")
    is_public = False
    waits = True
    offered = False
    permission = staticmethod(may.applicant)

    def check(self, dossier, ctx) -> None:
        super().check(dossier, ctx)
        if not online.link_destinations(dossier):
            raise AlreadyDone(dossier)

    def apply(self, dossier, ctx) -> None:
        destinations = online.link_destinations(dossier)
        dossier.resume_link_sent_to = ", ".join(destinations)
        ctx.details["sent_to"] = destinations
        ctx.transient["link"] = ctx.inputs["link"]


EVENTS = (
    DraftStarted(),
    DraftSaved(),
    Submit(),
    FiledAtCounter(),
    Resubmit(),
    LinkedToAccount(),
    ResumeLinkSent(),
)
