"""Filing online: choose the office, then one page at a time, check, submit, confirmation.

Views parse the page, call ``workflows.online`` and render. Who may open a draft is decided
there too (``citizen_access.actor_for``): its owner's account, or the resume token held in this
browser's session. Anyone else gets a 404, whether the draft exists or not.
"""

from django.contrib import messages
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gup.languages import remember_language
from services.answers import labelled_answers
from services.models import Service, catalogue_lookups
from workflows import actions, online, public_status
from workflows.actors import Actor
from workflows.applicant import APPLICANT_FIELDS, ApplicantForm
from workflows.citizen_access import (
    actor_for,
    dossier_for_token,
    held_or_owned,
    held_tokens,
    hold,
    new_token,
    resume_link,
)
from workflows.exceptions import ActionError, DossierConflict, InvalidInput
from workflows.models import Dossier
from workflows.states import DossierState as S
from workflows.views.citizen_forms import DraftDocumentsForm, OfficeForm, PageOfAnswersForm
from workflows.views.refusals import show_refusal


def citizen_dossier(request, public_id, *, with_catalogue: bool = False):
    """The dossier and who acts on it for this visitor; 404 for anyone else.

    ``with_catalogue``: the pages of the form, which build, check and show the service's
    questions and documents several times, read them once here, for the whole request.
    """
    dossiers = Dossier.objects.select_related("service", "office__province", "applicant_commune")
    if with_catalogue:
        dossiers = dossiers.prefetch_related(*catalogue_lookups("service"))
    dossier = dossiers.filter(public_id=public_id).first()
    actor = dossier and actor_for(dossier, request.user, held_tokens(request))
    if not actor:
        raise Http404
    return dossier, actor


def refused(request, error: ActionError, dossier):
    """Where a refused action leads: 404 for strangers, otherwise back with the reasons."""
    show_refusal(request, error, strangers_get_404=True)
    return redirect("citizen_follow", public_id=dossier.public_id)


# --- Starting -------------------------------------------------------------------------------


def start(request, service_code):
    service = get_object_or_404(Service, code=service_code, is_active=True)
    form = OfficeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        raw, token_hash = new_token()
        try:
            dossier = actions.perform(
                None,
                "draft_started",
                Actor.for_user(request.user),
                service=service,
                office=form.cleaned_data["office"],
                language=request.LANGUAGE_CODE,
                token_hash=token_hash,
            )
        except InvalidInput as error:
            for detail in error.details or [error.message]:
                form.add_error("office", detail)
        else:
            hold(request, dossier, raw)
            return redirect("citizen_step", public_id=dossier.public_id, step=online.APPLICANT)
    drafts = held_or_owned(request.user, held_tokens(request)).filter(
        service=service, state=S.DRAFT
    )
    return render(
        request,
        "citizen/start.html",
        {
            "service": service,
            "form": form,
            "forms": [form],
            "drafts": drafts.order_by("-updated_at"),
            "progress": progress(service, online.OFFICE),
        },
        status=400 if form.errors else 200,
    )


def resume(request, token):
    """The resume link: remember the token in this browser, then continue where they left off.

    The pages it leads to speak the language the applicant chose for the dossier, until the
    visitor picks another one with the language switcher.
    """
    if public_status.is_locked_out(request, public_status.RESUME_GROUP):
        return render(request, "citizen/too_many_attempts.html", status=429)
    dossier = dossier_for_token(token)
    if dossier is None:
        public_status.record_failure(request, public_status.RESUME_GROUP)
        return render(request, "citizen/bad_link.html", status=404)
    hold(request, dossier, token)
    if dossier.state == S.DRAFT:
        response = redirect(
            "citizen_step", public_id=dossier.public_id, step=online.resume_step(dossier)
        )
    else:
        response = redirect("citizen_follow", public_id=dossier.public_id)
    remember_language(response, dossier.language)
    return response


# --- The pages of the form --------------------------------------------------------------------

STEP_TITLES = {
    online.OFFICE: gettext_lazy("Office"),
    online.APPLICANT: gettext_lazy("About you"),
    online.DOCUMENTS: gettext_lazy("Documents"),
    online.CHECK: gettext_lazy("Check your answers"),
}


def step_title(step: str, pages: int) -> str:
    if step.startswith(online.QUESTIONS):
        number = int(step.rsplit("-", 1)[1])
        if pages == 1:
            return _("Your request")
        return _("Your request (%(number)s of %(pages)s)") % {"number": number, "pages": pages}
    return str(STEP_TITLES[step])


def progress(service, step: str) -> dict:
    """Where ``step`` stands in the service's online form: its number, the total and every
    step's title, the current one marked (``citizen/includes/progress.html``)."""
    steps = online.steps_for(service)
    pages = len(online.question_pages(service))
    return {
        "number": steps.index(step) + 1,
        "total": len(steps),
        "steps": [(step_title(each, pages), each == step) for each in steps],
    }


def _page_codes(dossier, step) -> list[str]:
    pages = online.question_pages(dossier.service)
    number = int(step.rsplit("-", 1)[1])
    return [spec.code for spec in pages[number - 1]]


def _attached(dossier) -> dict:
    return {
        attachment.document.code: attachment
        for attachment in dossier.attachments.select_related("document")
        if attachment.document
    }


def _build_form(dossier, step, data=None, files=None):
    if step == online.OFFICE:
        return OfficeForm(data, initial={"office": dossier.office_id})
    if step == online.APPLICANT:
        initial = model_to_dict(dossier, fields=APPLICANT_FIELDS)
        return ApplicantForm(data, initial=initial)
    if step == online.DOCUMENTS:
        return DraftDocumentsForm(dossier.service, _attached(dossier), data, files)
    return PageOfAnswersForm(
        dossier.service, _page_codes(dossier, step), data, initial=dossier.answers
    )


def _page_inputs(step, form, complete) -> dict:
    """What the page holds (only its valid part when it has errors), for ``draft_saved``."""
    if step == online.OFFICE:
        return {"office": form.cleaned_data["office"]}
    if step == online.APPLICANT:
        return {"applicant": form.cleaned_data}
    if step == online.DOCUMENTS:
        return {"documents": form.documents()}
    return {"answers": form.stored_answers(), "codes": form.valid_codes()}


def _send_link_if_new(request, dossier, actor):
    """``dossier``: as the applicant page just saved it."""
    if online.should_send_resume_link(dossier):
        sent_to = online.destinations_as_read(dossier)
        actions.perform(dossier.pk, "resume_link_sent", actor, link=resume_link(request, dossier))
        messages.info(
            request,
            _("We sent the link to continue your application to %(where)s.") % {"where": sent_to},
        )


def step(request, public_id, step):
    dossier, actor = citizen_dossier(request, public_id, with_catalogue=True)
    if dossier.state != S.DRAFT:
        return redirect("citizen_follow", public_id=dossier.public_id)
    if step == online.CHECK:
        return check(request, dossier, actor)
    if not online.reachable(dossier, step):
        return redirect(
            "citizen_step", public_id=dossier.public_id, step=online.resume_step(dossier)
        )
    back_to_check = request.GET.get("return") == "check"
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = _build_form(dossier, step, data, files)
    if request.method == "POST":
        complete = form.is_valid()
        if complete or step != online.OFFICE:
            try:
                # What passed was kept: what the page shows next (documents received beside
                # the errors, the contact details the link goes to) is the dossier as saved.
                dossier = actions.perform(
                    dossier.pk,
                    "draft_saved",
                    actor,
                    catalogue=dossier.service,
                    page=step,
                    complete=complete,
                    **_page_inputs(step, form, complete),
                )
            except InvalidInput as error:
                show_refusal(request, error)
                complete = False
            except ActionError as error:
                return refused(request, error, dossier)
        if complete:
            if step == online.APPLICANT:
                _send_link_if_new(request, dossier, actor)
            following = online.CHECK if back_to_check else online.next_step(dossier.service, step)
            return redirect("citizen_step", public_id=dossier.public_id, step=following)
    steps = online.steps_for(dossier.service)
    index = steps.index(step)
    return render(
        request,
        "citizen/step.html",
        {
            "dossier": dossier,
            "form": form,
            "forms": [form],
            "step": step,
            "title": step_title(step, len(online.question_pages(dossier.service))),
            "service": dossier.service,
            "progress": progress(dossier.service, step),
            "previous": steps[index - 1] if index else None,
            "back_to_check": back_to_check,
            "resume_link": resume_link(request, dossier),
            "document_rows": _document_rows(dossier, form) if step == online.DOCUMENTS else [],
        },
        status=400 if request.method == "POST" else 200,
    )


def _document_rows(dossier, form) -> list[tuple]:
    """Each document's field with the file already received for it, if any."""
    attached = _attached(dossier)
    return [(form[code], attached.get(code)) for code in form.fields]


def check_sections(dossier) -> list[dict]:
    """ "Check your answers": each page's answers, with the page that changes them."""
    applicant_rows = []
    for name in APPLICANT_FIELDS:
        field = Dossier._meta.get_field(name)
        value = getattr(dossier, name)
        if name == "language":
            value = dossier.get_language_display()
        applicant_rows.append((capfirst(field.verbose_name), value))
    sections = [
        {"step": online.OFFICE, "rows": [(_("Office"), dossier.office)]},
        {"step": online.APPLICANT, "rows": applicant_rows},
    ]
    pages = online.question_pages(dossier.service)
    for number, page in enumerate(pages, start=1):
        page_answers = {
            spec.code: dossier.answers[spec.code] for spec in page if spec.code in dossier.answers
        }
        sections.append(
            {
                "step": online.question_step(number),
                "rows": labelled_answers(dossier.service, page_answers),
            }
        )
    if list(dossier.service.documents.all()):
        attached = _attached(dossier)
        sections.append(
            {
                "step": online.DOCUMENTS,
                "rows": [
                    (
                        document.name,
                        attached[document.code].original_name if document.code in attached else "",
                    )
                    for document in dossier.service.documents.all()
                ],
            }
        )
    for section in sections:
        section["title"] = step_title(section["step"], len(pages))
    return sections


def check(request, dossier, actor, *, status=200):
    if not online.reachable(dossier, online.CHECK):
        return redirect(
            "citizen_step", public_id=dossier.public_id, step=online.resume_step(dossier)
        )
    return render(
        request,
        "citizen/check.html",
        {
            "dossier": dossier,
            "sections": check_sections(dossier),
            "problems": online.problems_before_submit(dossier),
            "resume_link": resume_link(request, dossier),
            "title": step_title(online.CHECK, 0),
            "service": dossier.service,
            "progress": progress(dossier.service, online.CHECK),
        },
        status=status,
    )


@require_POST
def submit(request, public_id):
    dossier, actor = citizen_dossier(request, public_id, with_catalogue=True)
    try:
        dossier = actions.perform(
            dossier.pk, "submit", actor, catalogue=dossier.service, idempotent=True
        )
    except InvalidInput as error:
        messages.error(request, error.message)
        return check(request, dossier, actor, status=400)
    except DossierConflict as error:
        messages.error(request, error.message)
        return redirect("citizen_step", public_id=dossier.public_id, step=online.CHECK)
    except ActionError as error:
        return refused(request, error, dossier)
    return redirect("citizen_done", public_id=dossier.public_id)


def done(request, public_id):
    dossier, _actor = citizen_dossier(request, public_id)
    if dossier.submitted_at is None:
        return redirect("citizen_step", public_id=dossier.public_id, step=online.CHECK)
    return render(
        request,
        "citizen/done.html",
        {
            "dossier": dossier,
            "status": public_status.public_status(dossier),
            "resume_link": resume_link(request, dossier),
        },
    )
