"""After filing: the citizen's dossiers, one dossier, answering the office, withdrawing, /track/."""

import math

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows import actions, online, public_status
from workflows.exceptions import ActionError, DossierConflict
from workflows.models import Dossier
from workflows.states import DossierState as S
from workflows.tracking import is_valid, normalize
from workflows.views.citizen import (
    citizen_dossier,
    held_or_owned,
    held_tokens,
    refused,
    resume_link,
)
from workflows.views.citizen_forms import AnswerForm, WithdrawForm


def my_dossiers(request):
    """The signed-in citizen's dossiers, and those this browser holds a link for."""
    candidates = (
        Dossier.objects.filter(held_or_owned(request))
        .exclude(state=S.EXPIRED)
        .select_related("service", "office")
        .order_by("-created_at")[:100]
    )
    tokens = held_tokens(request)
    dossiers = [d for d in candidates if online.holder_for(d, request.user, tokens)]
    return render(request, "citizen/my_dossiers.html", {"dossiers": dossiers})


def follow(request, public_id):
    dossier, principal = citizen_dossier(request, public_id)
    if dossier.state == S.DRAFT:
        return redirect("citizen_step", public_id=public_id, step=online.resume_step(dossier))
    available = actions.available_transitions(dossier, principal)
    return render(
        request,
        "citizen/follow.html",
        {
            "dossier": dossier,
            "status": public_status.public_status(dossier, with_comments=True),
            "can_answer": any(step in available for step in online.ANSWER_STEP.values()),
            "can_withdraw": "withdraw" in available,
            "attachments": dossier.attachments.select_related("document"),
            "resume_link": resume_link(request, dossier),
        },
    )


def answer(request, public_id):
    dossier, principal = citizen_dossier(request, public_id)
    step = online.ANSWER_STEP.get(dossier.state)
    if step is None or step not in actions.available_transitions(dossier, principal):
        messages.info(request, _("Nobody is waiting for an answer on this dossier."))
        return redirect("citizen_follow", public_id=public_id)
    form = AnswerForm(
        dossier.service,
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"expected_state": dossier.state},
        needs_comment=bool(actions.transition_custom(step, "needs_comment")),
    )
    return _submit_to_domain(
        request,
        dossier,
        form,
        lambda data: online.answer_office(
            dossier.pk,
            principal,
            comment=data["comment"],
            documents=form.documents(),
            expected_state=data["expected_state"],
        ),
        done=_("Thank you: your answer was sent."),
        template="citizen/answer.html",
    )


def withdraw(request, public_id):
    dossier, principal = citizen_dossier(request, public_id)
    if "withdraw" not in actions.available_transitions(dossier, principal):
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
        lambda data: online.withdraw(
            dossier.pk,
            principal,
            comment=data["comment"],
            expected_state=data["expected_state"],
        ),
        done=_("Your request was withdrawn."),
        template="citizen/withdraw.html",
    )


def _submit_to_domain(request, dossier, form, act, *, done, template):
    """On a valid POST, run ``act(cleaned_data)``; back to the dossier when it worked.

    A conflict (the dossier moved on meanwhile) is shown on the same form; any other refusal
    gets the refusal page.
    """
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except DossierConflict as error:
            messages.error(request, error.message)
        except ActionError as error:
            return refused(request, error, dossier)
        else:
            messages.success(request, done)
            return redirect("citizen_follow", public_id=dossier.public_id)
    return render(
        request,
        template,
        {"dossier": dossier, "form": form, "forms": [form]},
        status=400 if request.method == "POST" else 200,
    )


# --- /track/ ----------------------------------------------------------------------------------


class TrackForm(forms.Form):
    tracking_number = forms.CharField(
        label=gettext_lazy("Tracking number"),
        max_length=40,
        help_text=gettext_lazy("As on your receipt, for example GIT-2026-000042-7."),
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
    form = TrackForm(request.POST if request.method == "POST" else None)
    status, not_found, http_status = None, False, 200
    if request.method == "POST":
        try:
            if form.is_valid():
                status = public_status.rate_limited_lookup(
                    request, form.cleaned_data["tracking_number"], form.cleaned_data["phone_digits"]
                )
                not_found = status is None
            else:
                # A malformed number is a failed guess too.
                if public_status.is_locked_out(request):
                    raise public_status.TooManyAttempts(public_status.locked_for(request))
                public_status.record_failure(request)
        except public_status.TooManyAttempts as error:
            response = render(
                request,
                "citizen/too_many_attempts.html",
                {"minutes": math.ceil(error.seconds / 60)},
                status=429,
            )
            response["Retry-After"] = str(error.seconds)
            return response
        if not_found or form.errors:
            http_status = 400 if form.errors else 200
    return render(
        request,
        "citizen/track.html",
        {"form": form, "forms": [form], "status": status, "not_found": not_found},
        status=http_status,
    )
