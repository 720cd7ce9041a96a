"""Screens shared by the counter, the review queue and the auditor: one dossier, its steps."""

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods, require_POST

from gup.query_planning import joins_in_written_order
from services.answers import labelled_answers
from workflows import actions, clock, correspondence, events, intake_checklist, relaying
from workflows import permissions as may
from workflows.actors import Actor
from workflows.documents import handing, kinds
from workflows.events.payments import REVERSIBLE_STATES
from workflows.exceptions import ActionError
from workflows.forms import NoteForm, step_form
from workflows.history_display import history_lines
from workflows.models import Attachment, Dossier, Payment
from workflows.views.access import staff_required
from workflows.views.files import VIEWABLE_TYPES, attachment_file
from workflows.views.objections import objections_shown
from workflows.views.refusals import show_refusal


def visible_dossier(request, tracking_number) -> Dossier:
    """The dossier if this user may see it; 404 otherwise, whether or not it exists."""
    return get_object_or_404(
        Dossier.objects.visible_to(Actor.for_user(request.user)).select_related(
            "service", "office__province", "institution", "officer", "clerk", "applicant_commune"
        ),
        tracking_number=tracking_number,
    )


def _collection(dossier):
    try:
        return dossier.collection
    except Dossier.collection.RelatedObjectDoesNotExist:
        return None


def _decision(dossier):
    try:
        return dossier.decision
    except Dossier.decision.RelatedObjectDoesNotExist:
        return None


def dossier_for_page(request, tracking_number) -> Dossier:
    """``visible_dossier`` with what its page shows, in a number of queries that does not grow
    with its history, attachments or payments: its one-to-one records in the same query, its
    lists prefetched once (the steps' conditions and forms read the payments,
    attachments, scheduled steps and required documents the page lists). Its tables are joined
    in the written order (``joins_in_written_order``)."""
    with joins_in_written_order():
        return get_object_or_404(
            Dossier.objects.visible_to(Actor.for_user(request.user))
            .select_related(
                "service",
                "office__province",
                "institution",
                "officer",
                "clerk",
                "applicant_commune",
                "decision",
                "collection__handed_over_by",
                "collection__authorisation",
                "deadline_extension",
            )
            .prefetch_related(
                Prefetch("attachments", Attachment.objects.select_related("document")),
                Prefetch("payments", Payment.objects.select_related("reversed_by")),
                "scheduled_steps",
                "history",
                # What the service asks for: read by the intake conditions, the checklist and the
                # upload forms, whichever the state shows.
                "service__documents",
            ),
            tracking_number=tracking_number,
        )


def _with_own_workplace(user, dossier):
    """The staff menu names the user's office or institution: usually the dossier's, already
    read, so the menu does not read it again."""
    if user.office_id is not None and user.office_id == dossier.office_id:
        user.office = dossier.office
    elif user.institution_id is not None and user.institution_id == dossier.institution_id:
        user.institution = dossier.institution


@staff_required
def detail(request, tracking_number):
    dossier = dossier_for_page(request, tracking_number)
    _with_own_workplace(request.user, dossier)
    actor = Actor.for_user(request.user)
    available, blocked = events.available_steps(dossier, actor)
    documents = handing.issued(dossier)
    history = list(dossier.history.all())
    steps = [
        {
            "event": event,
            "form": step_form(
                event, actor, initial={"expected_state": dossier.state}, dossier=dossier
            ),
        }
        for event in available
        if event.offered
    ]
    return render(
        request,
        "dossiers/detail.html",
        {
            "dossier": dossier,
            "decision": _decision(dossier),
            "scheduled_step": dossier.open_scheduled_step(),
            "answers": labelled_answers(dossier.service, dossier.answers),
            "attachments": dossier.attachments.all(),
            "payments": dossier.payments.all(),
            "may_reverse_payments": may.office_supervisor(dossier, actor)
            and dossier.state in REVERSIBLE_STATES,
            "collection": _collection(dossier),
            "documents": documents,
            "to_hand_over": handing.to_hand_over(dossier, documents, history),
            "may_revoke": may.supervisor_handling(dossier, actor),
            "history": history_lines(history),
            "correspondence": correspondence.for_dossier(dossier),
            "clock": clock.summary(dossier),
            "steps": [step for step in steps if not step["event"].set_apart],
            "set_apart_steps": [step for step in steps if step["event"].set_apart],
            "blocked_steps": [
                {"label": event.label, "reasons": why} for event, why in blocked if event.offered
            ],
            "note_form": NoteForm() if may.staff_handling(dossier, actor) else None,
            "objections": objections_shown(dossier, actor),
            "intake_checklist": intake_checklist.for_page(dossier, actor, history),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def take_step(request, tracking_number, step):
    dossier = visible_dossier(request, tracking_number)
    actor = Actor.for_user(request.user)
    event = events.EVENTS.get(step)
    if event is None or not event.offered:
        raise Http404
    if request.method == "GET" and step not in events.available_names(dossier, actor):
        # A stale link, or a step that is not (or no longer) this user's to take.
        messages.error(
            request,
            _("“%(step)s” is not possible for you on this dossier now.") % {"step": event.label},
        )
        return redirect("dossier_detail", tracking_number=dossier.tracking_number)
    form = step_form(
        event,
        actor,
        data=request.POST if request.method == "POST" else None,
        files=request.FILES if request.method == "POST" else None,
        initial={"expected_state": dossier.state, **event.initial(dossier, actor)},
        dossier=dossier,
    )
    status = 200 if request.method == "GET" else 400
    if request.method == "POST" and form.is_valid():
        try:
            actions.perform(
                dossier.pk,
                step,
                actor,
                comment=form.cleaned_data.get("comment", ""),
                expected_state=form.cleaned_data["expected_state"],
                **form.inputs(),
            )
        except ActionError as error:
            status = show_refusal(request, error, form=form)
        else:
            messages.success(request, _("Done: %(step)s.") % {"step": event.label})
            return redirect("dossier_detail", tracking_number=dossier.tracking_number)
    return render(
        request,
        "dossiers/step.html",
        {
            "dossier": dossier,
            "form": form,
            "forms": [form],
            "event": event,
            "has_preview": step in kinds.PREVIEWED_BEFORE,
            "question": relaying.question(dossier) if event.answered_by_citizen else None,
        },
        status=status,
    )


@staff_required
@require_POST
def add_note(request, tracking_number):
    dossier = visible_dossier(request, tracking_number)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            actions.perform(
                dossier.pk, "note_added", request.user, comment=form.cleaned_data["note"]
            )
        except ActionError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("Note added."))
    else:
        messages.error(request, _("The note is empty: nothing was added."))
    return redirect("dossier_detail", tracking_number=dossier.tracking_number)


@staff_required
def attachment(request, tracking_number, stored_name):
    dossier = visible_dossier(request, tracking_number)
    document = get_object_or_404(dossier.attachments, stored_name=stored_name)
    return attachment_file(request, document)


@staff_required
@xframe_options_sameorigin
def attachment_inline(request, tracking_number, stored_name):
    """The attachment shown in the browser (a PDF or an image; anything else is downloaded)."""
    dossier = visible_dossier(request, tracking_number)
    document = get_object_or_404(dossier.attachments, stored_name=stored_name)
    return attachment_file(request, document, viewable=True)


@staff_required
def view_attachment(request, tracking_number, number):
    """The dossier's ``number``-th attachment (from 1) on a page, with the previous and the next."""
    dossier = visible_dossier(request, tracking_number)
    attachments = list(dossier.attachments.select_related("document"))
    if not 1 <= number <= len(attachments):
        raise Http404
    file = attachments[number - 1]
    return render(
        request,
        "dossiers/attachment_viewer.html",
        {
            "dossier": dossier,
            "file": file,
            "number": number,
            "count": len(attachments),
            "previous": number - 1 if number > 1 else None,
            "next": number + 1 if number < len(attachments) else None,
            "viewable": file.content_type in VIEWABLE_TYPES,
            "is_pdf": file.content_type == "application/pdf",
        },
    )
