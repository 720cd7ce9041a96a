"""Filing online: choose the office, then one page at a time, check, submit, confirmation.

Views parse the page, call ``workflows.online`` and render. Who may open a draft is decided
there too (``online.holder_for``): its owner's account, or the resume token held in this
browser's session. Anyone else gets a 404, whether the draft exists or not.
"""

from django.contrib import messages
from django.db.models import Q
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from services.answers import labelled_answers
from services.models import Service
from workflows import online, public_status
from workflows.applicant import ApplicantForm
from workflows.exceptions import ActionError, DossierConflict, InvalidInput, NotAllowed
from workflows.models import Dossier
from workflows.states import DossierState as S
from workflows.views.citizen_forms import DraftDocumentsForm, OfficeForm, PageOfAnswersForm

SESSION_TOKENS = "gup_resume_tokens"
#: A browser keeps the tokens of its most recent applications only.
MAX_HELD_TOKENS = 20


# --- Tokens in the session, and who is acting -------------------------------------------------


def held_tokens(request) -> dict:
    return request.session.get(SESSION_TOKENS, {})


def hold(request, dossier, raw: str) -> None:
    tokens = {
        key: value for key, value in held_tokens(request).items() if key != str(dossier.public_id)
    }
    tokens[str(dossier.public_id)] = raw
    request.session[SESSION_TOKENS] = dict(list(tokens.items())[-MAX_HELD_TOKENS:])


def resume_link(request, dossier) -> str:
    raw = held_tokens(request).get(str(dossier.public_id))
    return request.build_absolute_uri(reverse("citizen_resume", args=[raw])) if raw else ""


def held_or_owned(request) -> Q:
    """Dossiers this browser holds a resume link for, or that the signed-in citizen owns.

    A candidate filter only: ``online.holder_for`` still decides, dossier by dossier.
    """
    mine = Q(public_id__in=list(held_tokens(request)))
    if request.user.is_authenticated:
        mine |= Q(applicant_account=request.user)
    return mine


def citizen_dossier(request, public_id):
    """The dossier and who acts on it for the citizen; 404 for anyone else."""
    dossier = (
        Dossier.objects.select_related("service", "office__province", "applicant_commune")
        .filter(public_id=public_id)
        .first()
    )
    principal = dossier and online.holder_for(dossier, request.user, held_tokens(request))
    if not principal:
        raise Http404
    return dossier, principal


def refused(request, error: ActionError, dossier):
    """Where a refused action leads: 404 for strangers, otherwise back with the reasons."""
    if isinstance(error, NotAllowed):
        raise Http404 from error
    messages.error(request, error.message)
    for detail in error.details:
        messages.error(request, detail)
    return redirect("citizen_follow", public_id=dossier.public_id)


# --- Starting -------------------------------------------------------------------------------


def start(request, service_code):
    service = get_object_or_404(Service, code=service_code, is_active=True)
    form = OfficeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            dossier, raw = online.start_draft(
                service, form.cleaned_data["office"], request.user, language=request.LANGUAGE_CODE
            )
        except InvalidInput as error:
            form.add_error("office", error.message)
        else:
            hold(request, dossier, raw)
            return redirect("citizen_step", public_id=dossier.public_id, step=online.APPLICANT)
    drafts = Dossier.objects.filter(
        held_or_owned(request), service=service, state=S.DRAFT
    ).order_by("-updated_at")
    return render(
        request,
        "citizen/start.html",
        {
            "service": service,
            "form": form,
            "forms": [form],
            "drafts": [
                d for d in drafts if online.holder_for(d, request.user, held_tokens(request))
            ],
        },
        status=400 if form.errors else 200,
    )


def resume(request, token):
    """The resume link: remember the token in this browser, then continue where they left off."""
    if public_status.is_locked_out(request, public_status.RESUME_GROUP):
        return render(request, "citizen/too_many_attempts.html", status=429)
    dossier = online.dossier_for_token(token)
    if dossier is None:
        public_status.record_failure(request, public_status.RESUME_GROUP)
        return render(request, "citizen/bad_link.html", status=404)
    hold(request, dossier, token)
    if dossier.state == S.DRAFT:
        return redirect(
            "citizen_step", public_id=dossier.public_id, step=online.resume_step(dossier)
        )
    return redirect("citizen_follow", public_id=dossier.public_id)


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


def _build_form(dossier, step, data=None, files=None, language="fr"):
    if step == online.OFFICE:
        return OfficeForm(data, initial={"office": dossier.office_id})
    if step == online.APPLICANT:
        initial = model_to_dict(dossier, fields=online.APPLICANT_FIELDS)
        return ApplicantForm(data, initial=initial)
    if step == online.DOCUMENTS:
        return DraftDocumentsForm(dossier.service, _attached(dossier), data, files)
    return PageOfAnswersForm(
        dossier.service, _page_codes(dossier, step), data, initial=dossier.answers
    )


def _save(dossier, principal, step, form, complete):
    """Hand what the page holds (only its valid part when it has errors) to the domain."""
    if step == online.OFFICE:
        if complete:
            online.save_office(dossier.pk, principal, form.cleaned_data["office"])
    elif step == online.APPLICANT:
        online.save_applicant(dossier.pk, principal, form.cleaned_data, complete=complete)
    elif step == online.DOCUMENTS:
        online.save_documents(dossier.pk, principal, form.documents(), complete=complete)
    else:
        online.save_answers(
            dossier.pk,
            principal,
            step,
            form.stored_answers(),
            form.valid_codes(),
            complete=complete,
        )


def _send_link_if_new(request, dossier, principal):
    dossier.refresh_from_db()
    if online.should_send_resume_link(dossier):
        sent_to = online.send_resume_link(dossier.pk, principal, resume_link(request, dossier))
        if sent_to:
            messages.info(
                request,
                _("We sent the link to continue your application to %(where)s.")
                % {"where": ", ".join(sent_to)},
            )


def step(request, public_id, step):
    dossier, principal = citizen_dossier(request, public_id)
    if dossier.state != S.DRAFT:
        return redirect("citizen_follow", public_id=dossier.public_id)
    if step == online.CHECK:
        return check(request, dossier, principal)
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
        try:
            _save(dossier, principal, step, form, complete)
        except InvalidInput as error:
            messages.error(request, error.message)
            complete = False
        except ActionError as error:
            return refused(request, error, dossier)
        if complete:
            if step == online.APPLICANT:
                _send_link_if_new(request, dossier, principal)
            following = online.CHECK if back_to_check else online.next_step(dossier.service, step)
            return redirect("citizen_step", public_id=dossier.public_id, step=following)
        # What passed was kept: documents received now show as such beside the errors.
        dossier.refresh_from_db()
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
            "number": index + 1,
            "total": len(steps),
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
    for name in online.APPLICANT_FIELDS:
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


def check(request, dossier, principal, *, status=200):
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
        },
        status=status,
    )


@require_POST
def submit(request, public_id):
    dossier, principal = citizen_dossier(request, public_id)
    try:
        dossier = online.submit(dossier.pk, principal)
    except InvalidInput as error:
        messages.error(request, error.message)
        return check(request, dossier, principal, status=400)
    except DossierConflict as error:
        messages.error(request, error.message)
        return redirect("citizen_step", public_id=dossier.public_id, step=online.CHECK)
    except ActionError as error:
        return refused(request, error, dossier)
    return redirect("citizen_done", public_id=dossier.public_id)


def done(request, public_id):
    dossier, _principal = citizen_dossier(request, public_id)
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
