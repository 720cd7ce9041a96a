"""The counter: a clerk's queue and filing for walk-in citizens."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from services.answers import AnswersForm
from services.models import Service
from workflows import actions
from workflows.actors import Actor
from workflows.applicant import ApplicantForm
from workflows.exceptions import ActionError
from workflows.forms import CounterFilingForm, DocumentsForm
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
    service = get_object_or_404(
        Service.objects.prefetch_related("fields", "documents"), code=service_code, is_active=True
    )
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    filing_form = CounterFilingForm(data)
    applicant_form = ApplicantForm(data, initial={"language": request.LANGUAGE_CODE})
    answers_form = AnswersForm(service, data)
    documents_form = DocumentsForm(service, data, files)
    forms = (filing_form, applicant_form, answers_form, documents_form)
    status = 200
    if request.method == "POST":
        status = 400
        # Validate every form, not just up to the first invalid one: all errors show at once.
        validity = [form.is_valid() for form in forms]
        if all(validity):
            try:
                dossier = actions.perform(
                    None,
                    "filed_at_counter",
                    request.user,
                    filing_key=filing_form.cleaned_data["filing_key"],
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
    return render(
        request,
        "counter/file.html",
        {
            "service": service,
            "filing_form": filing_form,
            "applicant_form": applicant_form,
            "answers_form": answers_form,
            "documents_form": documents_form,
            "forms": forms,
        },
        status=status,
    )
