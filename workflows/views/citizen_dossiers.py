"""After filing: the citizen's dossiers, one dossier, answering the office, withdrawing, /track/."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gup.sms.masking import mask_phone
from services import payment_instructions
from workflows import actions, citizen_access, citizen_files, events, online, public_status
from workflows.citizen_access import held_or_owned, held_tokens, offered_by_phone, resume_link
from workflows.documents import handing
from workflows.exceptions import ActionError, DossierConflict
from workflows.models import Decision
from workflows.states import DossierState as S
from workflows.tracking import is_valid, normalize
from workflows.views.citizen import citizen_dossier, refused
from workflows.views.citizen_forms import AnswerForm, WithdrawForm
from workflows.views.refusals import show_refusal, too_many_attempts


def my_dossiers(request):
    """The signed-in citizen's dossiers, and those this browser holds a link for."""
    dossiers = public_status.with_answer_received(
        held_or_owned(request.user, held_tokens(request))
        .select_related("service", "office")
        .order_by("-created_at")
    )[:100]
    return render(
        request,
        "citizen/my_dossiers.html",
        {"dossiers": dossiers, "offered_by_phone": offered_by_phone(request.user).exists()},
    )


def follow(request, public_id):
    dossier, actor = citizen_dossier(request, public_id)
    if dossier.state == S.DRAFT:
        return redirect("citizen_step", public_id=public_id, step=online.resume_step(dossier))
    available = events.available_steps(dossier, actor)[0]
    documents = handing.issued(dossier)
    decision = Decision.objects.filter(dossier=dossier).first()
    return render(
        request,
        "citizen/follow.html",
        {
            "dossier": dossier,
            "status": public_status.public_status(dossier, with_comments=True),
            "can_answer": any(event.answered_by_citizen for event in available),
            "can_withdraw": any(event.name == "withdraw" for event in available),
            "sent_files": citizen_files.sent_files(dossier),
            "documents": documents,
            "decision": decision,
            "letter": decision and _decision_letter(documents),
            "how": (
                payment_instructions.for_dossier(dossier)
                if dossier.state == S.AWAITING_PAYMENT
                else None
            ),
            "resume_link": resume_link(request, dossier),
        },
    )


def _decision_letter(documents):
    """The latest decision letter still valid, if it has been printed yet."""
    letters = [d for d in documents if d.kind == "decision_letter" and not d.is_revoked]
    return letters[-1] if letters else None


def answer(request, public_id):
    dossier, actor = citizen_dossier(request, public_id)
    event = events.answer_step(dossier, actor)
    if event is None:
        messages.info(request, _("Nobody is waiting for an answer on this dossier."))
        return redirect("citizen_follow", public_id=public_id)
    form = AnswerForm(
        dossier.service,
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"expected_state": dossier.state},
        event=event,
        actor=actor,
    )
    return _submit_to_domain(
        request,
        dossier,
        form,
        lambda data: actions.perform(
            dossier.pk,
            event.name,
            actor,
            comment=data["comment"],
            documents=form.documents(),
            expected_state=data["expected_state"],
        ),
        done=_("Thank you: your answer was sent."),
        template="citizen/answer.html",
    )


def withdraw(request, public_id):
    dossier, actor = citizen_dossier(request, public_id)
    if "withdraw" not in events.available_names(dossier, actor):
        messages.error(request, _("This dossier has been decided: it can no longer be withdrawn."))
        return redirect("citizen_follow", public_id=public_id)
    form = WithdrawForm(
        request.POST if request.method == "POST" else None,
        initial={"expected_state": dossier.state},
    )
    return _submit_to_domain(
        request,
        dossier,
        form,
        lambda data: actions.perform(
            dossier.pk,
            "withdraw",
            actor,
            comment=data["comment"],
            expected_state=data["expected_state"],
        ),
        done=_("Your request was withdrawn."),
        template="citizen/withdraw.html",
    )


def _submit_to_domain(request, dossier, form, act, *, done, template):
    """On a valid POST, run ``act(cleaned_data)``; back to the dossier when it worked.

    A conflict or invalid input is shown on the same form, with every detail; a stranger gets
    a 404 and any other refusal goes back to the dossier with its reasons.
    """
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except DossierConflict as error:
            status = show_refusal(request, error)
        except ActionError as error:
            if error.details:
                status = show_refusal(request, error, strangers_get_404=True)
            else:
                return refused(request, error, dossier)
        else:
            messages.success(request, done)
            return redirect("citizen_follow", public_id=dossier.public_id)
    return render(
        request, template, {"dossier": dossier, "form": form, "forms": [form]}, status=status
    )


# --- /track/ ----------------------------------------------------------------------------------


class TrackForm(forms.Form):
    tracking_number = forms.CharField(
        label=gettext_lazy("Tracking number"),
        max_length=40,
        help_text=gettext_lazy("As on your receipt, for example GIT-2026-000042-B."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    phone_digits = forms.RegexField(
        label=gettext_lazy("Last 4 digits of your phone number"),
        regex=r"^\s*\d{4}\s*$",
        help_text=gettext_lazy("The phone number given when the dossier was filed."),
        error_messages={"invalid": gettext_lazy("Enter 4 digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_tracking_number(self):
        number = normalize(self.cleaned_data["tracking_number"])
        if not is_valid(number):
            raise forms.ValidationError(
                _("This is not a valid tracking number: check each character."),
                code="bad_number",
            )
        return number


def track(request):
    # The QR code of a filing receipt opens this page with its tracking number filled in.
    prefilled = {"tracking_number": normalize(request.GET.get("number", ""))[:40]}
    form = TrackForm(request.POST if request.method == "POST" else None, initial=prefilled)
    status, not_found, http_status, documents = None, False, 200, None
    if request.method == "POST":
        try:
            if form.is_valid():
                dossier = public_status.rate_limited_find(
                    request, form.cleaned_data["tracking_number"], form.cleaned_data["phone_digits"]
                )
                not_found = dossier is None
                if dossier is not None:
                    status = public_status.public_status(dossier)
                    documents = _documents_offer(request, dossier)
            else:
                # A malformed number is a failed guess too.
                if public_status.is_locked_out(request):
                    raise public_status.TooManyAttempts(public_status.locked_for(request))
                public_status.record_failure(request)
        except public_status.TooManyAttempts as error:
            return too_many_attempts(request, error.seconds)
        if not_found or form.errors:
            http_status = 400 if form.errors else 200
    return render(
        request,
        "citizen/track.html",
        {
            "form": form,
            "forms": [form],
            "status": status,
            "not_found": not_found,
            "documents": documents,
        },
        status=http_status,
    )


def _documents_offer(request, dossier) -> dict | None:
    """The dossier has documents: this browser may ask for the code that opens them, sent to
    the dossier's phone, which the page shows masked only."""
    if not dossier.applicant_phone or not dossier.documents.exists():
        return None
    citizen_access.remember_tracked(request, dossier)
    return {"public_id": dossier.public_id, "phone": mask_phone(dossier.applicant_phone)}
