"""The counter: a clerk's queue and filing for walk-in citizens."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from services.answers import AnswersForm
from services.models import Service
from workflows import actions, pending_uploads
from workflows.actors import Actor
from workflows.applicant import ApplicantForm
from workflows.counter_forms import CounterDocumentsForm, LookupForm
from workflows.exceptions import ActionError
from workflows.forms import CounterFilingForm
from workflows.models import Dossier
from workflows.queues import COUNTER_TABS
from workflows.views.access import office_staff_required
from workflows.views.paging import render_queue
from workflows.views.refusals import show_refusal


@office_staff_required
def queue(request):
    actor = Actor.for_user(request.user)
    dossiers = Dossier.objects.visible_to(actor)
    return render_queue(request, "counter/queue.html", dossiers, COUNTER_TABS, actor)


@office_staff_required
def choose_service(request):
    services = Service.objects.filter(is_active=True)
    return render(request, "counter/choose_service.html", {"services": services})


@office_staff_required
def file_dossier(request, service_code):
    """File a dossier for a walk-in citizen.

    A GET with ``lookup-national_id`` fills the applicant's details from their last dossier at
    this office (``workflows.returning_citizens``). A POST with errors keeps the documents that
    passed the checks for this form and clerk (``workflows.pending_uploads``).
    """
    service = get_object_or_404(
        Service.objects.prefetch_related("fields", "documents"), code=service_code, is_active=True
    )
    actor = Actor.for_user(request.user)
    if request.method != "POST":
        return _blank_form(request, service, actor)
    data, files = request.POST, request.FILES
    filing_form = CounterFilingForm(data)
    filing_key = filing_form.cleaned_data["filing_key"] if filing_form.is_valid() else None
    if filing_key is not None:
        filed = Dossier.objects.visible_to(actor).filter(filing_key=filing_key).first()
        if filed is not None:
            # The same form sent again (a double click): the first one filed it.
            return redirect("dossier_detail", tracking_number=filed.tracking_number)
    applicant_form = ApplicantForm(data, initial={"language": request.LANGUAGE_CODE})
    answers_form = AnswersForm(service, data)
    documents_form = CounterDocumentsForm(
        service, data, files, kept=pending_uploads.kept_for(filing_key, request.user)
    )
    forms = (filing_form, applicant_form, answers_form, documents_form)
    # Validate every form, not just up to the first invalid one: all errors show at once.
    validity = [form.is_valid() for form in forms]
    status = 400
    if all(validity):
        try:
            dossier = actions.perform(
                None,
                "filed_at_counter",
                request.user,
                filing_key=filing_key,
                service=service,
                applicant=applicant_form.cleaned_data,
                answers=answers_form.stored_answers(),
                documents=documents_form.documents(),
            )
        except ActionError as error:
            status = show_refusal(request, error)
        else:
            messages.success(
                request,
                _("Dossier %(number)s filed. Give the citizen this number.")
                % {"number": dossier.tracking_number},
            )
            return redirect("dossier_detail", tracking_number=dossier.tracking_number)
    else:
        messages.error(
            request, _("The dossier was not filed: please correct the fields marked below.")
        )
    if filing_form.errors:
        # Say so, and give a fresh key, so that sending the checked form files the dossier.
        for error in filing_form.errors["filing_key"]:
            messages.error(request, error)
        filing_form = CounterFilingForm()
        filing_key = filing_form.initial["filing_key"]
    removed = [documents_form.required_documents[code].pk for code in documents_form.removed()]
    documents_form.set_kept(
        pending_uploads.keep_chosen(filing_key, request.user, documents_form.chosen(), removed)
    )
    context = {
        "filing_form": filing_form,
        "applicant_form": applicant_form,
        "answers_form": answers_form,
        "documents_form": documents_form,
    }
    return _render(request, service, context, status=status)


def _blank_form(request, service, actor):
    """The empty form, or prefilled for a returning citizen (``?lookup-national_id=``).

    The look-up is a GET form of its own, above the filing form, so it works without
    JavaScript; answers typed before it are not carried over. Carrying them would mean sending
    the whole filing form by GET: its CSRF token and every answer would land in the URL, the
    browser's history and the server's logs. The box comes first on the page for that reason.
    """
    initial = {"language": request.LANGUAGE_CODE}
    lookup_form = LookupForm(request.GET if "lookup-national_id" in request.GET else None)
    found = None
    if lookup_form.is_valid():
        found = lookup_form.look_up(actor)
        initial["applicant_national_id"] = lookup_form.cleaned_data["national_id"]
        if found is not None:
            initial.update(found.details)
    # The look-up on a form sent with errors carries its key: the documents kept stay offered.
    filing_form, kept = CounterFilingForm(), {}
    carried = CounterFilingForm(request.GET if "filing-filing_key" in request.GET else None)
    if carried.is_valid():
        key = carried.cleaned_data["filing_key"]
        if not Dossier.objects.filter(filing_key=key).exists():
            filing_form = CounterFilingForm(initial={"filing_key": key})
            kept = pending_uploads.kept_for(key, request.user)
    context = {
        "filing_form": filing_form,
        "applicant_form": ApplicantForm(initial=initial),
        "answers_form": AnswersForm(service),
        "documents_form": CounterDocumentsForm(service, kept=kept),
        "lookup_form": lookup_form,
        "found": found,
    }
    return _render(request, service, context, status=200 if not lookup_form.errors else 400)


def _render(request, service, context, *, status):
    context.setdefault("lookup_form", LookupForm())
    forms = (
        context["filing_form"],
        context["applicant_form"],
        context["answers_form"],
        context["documents_form"],
    )
    return render(
        request,
        "counter/file.html",
        {"service": service, "forms": forms, **context},
        status=status,
    )
