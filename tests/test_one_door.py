"""One door for every write: the engine, actors, events, side effects, aspect records.

Each test names a behaviour of issue 6 that a clerk, an officer or a citizen would notice.
"""

import ast
import datetime
import pathlib
import threading
import uuid

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from tests.factories import (
    PASSWORD,
    UserFactory,
    dossier_in_state,
    next_slot,
    sample_answers,
    sample_upload,
)
from workflows import events
from workflows.actions import TransitionOutsidePerform, perform
from workflows.actors import Actor, ActorKind
from workflows.citizen_access import hold, new_token
from workflows.exceptions import InvalidInput, NotAllowed
from workflows.history_display import describe
from workflows.models import Decision, Dossier, HistoryEntry, PaymentMethod
from workflows.states import DossierState as S

ROOT = pathlib.Path(__file__).resolve().parent.parent


def in_gitega(personas, state, **kwargs):
    kwargs.setdefault("service", personas.building_permit)
    kwargs.setdefault("officer", personas.officer_urbanism)
    return dossier_in_state(
        state,
        office=personas.office_gitega,
        applicant_account=personas.citizen,
        applicant_commune=personas.commune_gitega,
        clerk=personas.clerk_gitega,
        **kwargs,
    )


# --- Nothing writes a dossier around the engine -----------------------------------------------


def test_a_transition_called_outside_the_action_layer_is_refused(personas):
    dossier = in_gitega(personas, S.IN_REVIEW)

    with pytest.raises(TransitionOutsidePerform):
        dossier.approve()

    assert Dossier.objects.get(pk=dossier.pk).state == S.IN_REVIEW


TRANSITION_NAMES = {event.name for event in events.transition_events()}
ENGINE = {ROOT / "workflows" / "actions.py", *(ROOT / "workflows" / "events").glob("*.py")}
#: Synthetic dossiers for measuring at scale: the one place a state is written directly, on
#: purpose (by COPY), to build a million dossiers in minutes.
BENCHMARK = ROOT / "workflows" / "scale" / "generate.py"


def _source_files():
    for folder in ("gup", "services", "workflows"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" not in path.parts and path not in ENGINE and path != BENCHMARK:
                yield path


def test_no_code_outside_the_action_layer_writes_a_state_or_calls_a_transition():
    offences = []
    for path in _source_files():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr in TRANSITION_NAMES and _looks_like_a_dossier(node.func.value):
                    offences.append(f"{where} calls {node.func.attr}()")
                if node.func.attr in ("update", "create", "bulk_create") and any(
                    keyword.arg == "state" for keyword in node.keywords
                ):
                    offences.append(f"{where} writes state= through {node.func.attr}()")
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Attribute) and target.attr == "state":
                        offences.append(f"{where} assigns .state")
    assert offences == []


def _looks_like_a_dossier(value) -> bool:
    name = value.attr if isinstance(value, ast.Attribute) else getattr(value, "id", "")
    return "dossier" in name.lower() or name == "self"


# --- Actors -----------------------------------------------------------------------------------


def test_an_institutions_system_decides_and_the_history_says_so(personas):
    dossier = in_gitega(personas, S.IN_REVIEW)
    system = Actor.institution_system(personas.urbanism)

    perform(dossier.pk, "approve", system, expected_state=S.IN_REVIEW)

    entry = HistoryEntry.objects.filter(dossier=dossier).order_by("-position").first()
    assert (entry.kind, entry.actor_kind, entry.actor_user_id) == (
        "approve",
        ActorKind.INSTITUTION_SYSTEM,
        None,
    )
    assert entry.actor_reference == f"institution:{personas.urbanism.pk}"
    assert Decision.objects.get(dossier=dossier).decided_by_name == str(personas.urbanism)


def test_another_institutions_system_may_not_decide(personas):
    dossier = in_gitega(personas, S.IN_REVIEW)

    with pytest.raises(NotAllowed):
        perform(dossier.pk, "approve", Actor.institution_system(personas.migration))


def test_a_resume_link_holder_sees_and_acts_on_that_one_dossier_only(personas):
    mine = in_gitega(personas, S.RETURNED)
    other = in_gitega(personas, S.RETURNED)
    holder = Actor.resume_link(mine.pk, "Aline")

    assert list(Dossier.objects.visible_to(holder)) == [mine]
    with pytest.raises(NotAllowed):
        perform(other.pk, "resubmit", holder, comment="Corrected the plot number.")
    perform(mine.pk, "resubmit", holder, comment="Corrected the plot number.")
    entry = mine.history.order_by("-position").first()
    assert (entry.actor_kind, entry.actor_reference) == (
        ActorKind.RESUME_LINK,
        f"dossier:{mine.pk}",
    )


# --- Events that are not transitions ----------------------------------------------------------


def test_a_recorded_payment_reads_as_a_payment_not_as_a_second_state(personas):
    dossier = in_gitega(personas, S.AWAITING_PAYMENT, service=personas.passport)
    due = personas.passport.fee_bif

    perform(
        dossier.pk,
        "record_payment",
        personas.clerk_gitega,
        amount_bif=due,
        method=PaymentMethod.LUMICASH,
        reference="LC12345",
    )

    entry = dossier.history.order_by("-position").first()
    # Besides the payment, the row says that the clock resumed (``details["clock"]``).
    payment = {key: value for key, value in entry.details.items() if key != "clock"}
    assert payment == {
        "amount_bif": due,
        "method": "lumicash",
        "reference": "LC12345",
        "receipt_number": dossier.payments.get().receipt_number,
    }
    assert entry.details["clock"]["resumed"]
    assert describe(entry).startswith("Payment recorded: ")
    assert "Lumicash, ref LC12345" in describe(entry)


def test_a_staff_note_is_kept_in_the_history_and_hidden_from_the_citizen(personas, client):
    dossier = in_gitega(personas, S.INTAKE)
    client.force_login(personas.clerk_gitega)

    response = client.post(
        reverse("dossier_add_note", args=[dossier.tracking_number]),
        {"note": "The citizen will bring the original deed on Monday."},
    )

    assert response.status_code == 302
    entry = dossier.history.order_by("-position").first()
    assert (entry.kind, entry.is_public) == ("note_added", False)
    assert not dossier.history.public().filter(kind="note_added").exists()


def test_an_empty_note_adds_nothing_and_says_so(personas, client):
    dossier = in_gitega(personas, S.INTAKE)
    client.force_login(personas.clerk_gitega)
    rows = dossier.history.count()

    response = client.post(
        reverse("dossier_add_note", args=[dossier.tracking_number]),
        {"note": "  "},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "The note is empty" in response.content.decode()
    assert dossier.history.count() == rows


def test_a_clerk_of_another_office_cannot_add_a_note(personas):
    dossier = in_gitega(personas, S.INTAKE)

    with pytest.raises(NotAllowed):
        perform(dossier.pk, "note_added", personas.clerk_ngozi, comment="Not my dossier at all.")


def test_unknown_event_kinds_are_refused_without_writing(personas):
    dossier = in_gitega(personas, S.INTAKE)
    rows = dossier.history.count()

    with pytest.raises(Exception, match="not possible"):
        perform(dossier.pk, "delete_everything", personas.clerk_gitega)

    assert dossier.history.count() == rows


# --- Filing at the counter is idempotent ------------------------------------------------------


def _counter_post(personas, key):
    service = personas.building_permit
    data = {
        "filing-filing_key": str(key),
        "applicant-applicant_first_name": "Aline",
        "applicant-applicant_last_name": "Ndayishimiye",
        "applicant-applicant_national_id": "0412/345.678",
        "applicant-applicant_birth_date": "1990-05-17",
        "applicant-applicant_phone": "79 12 34 56",
        "applicant-applicant_commune": personas.commune_gitega.pk,
        "applicant-language": "fr",
    }
    data.update({f"answer-{code}": value for code, value in sample_answers(service).items()})
    return data


def test_posting_the_counter_form_twice_files_one_dossier(personas, client):
    client.force_login(personas.clerk_gitega)
    url = reverse("counter_file", args=[personas.building_permit.code])
    data = _counter_post(personas, uuid.uuid4())
    for document in personas.building_permit.documents.filter(mandatory=True):
        data[f"document-{document.code}"] = _upload(document)
    first = client.post(url, data)
    for document in personas.building_permit.documents.filter(mandatory=True):
        data[f"document-{document.code}"] = _upload(document)
    second = client.post(url, data)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Dossier.objects.filter(applicant_national_id="0412/345.678").count() == 1


def _upload(document):
    from django.core.files.uploadedfile import SimpleUploadedFile

    inspected = sample_upload(document.accepted_types, document.code)
    return SimpleUploadedFile(inspected.original_name, inspected.content)


def test_a_counter_form_without_its_key_is_not_filed_and_keeps_what_was_typed(personas, client):
    client.force_login(personas.clerk_gitega)
    url = reverse("counter_file", args=[personas.building_permit.code])
    data = _counter_post(personas, "")
    for document in personas.building_permit.documents.filter(mandatory=True):
        data[f"document-{document.code}"] = _upload(document)

    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert response.status_code == 400
    assert "This form had expired" in page
    assert 'value="Ndayishimiye"' in page
    assert not Dossier.objects.filter(applicant_national_id="0412/345.678").exists()


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_counter_posts_with_one_key_file_one_dossier(personas):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    key = uuid.uuid4()
    applicant = {
        "applicant_first_name": "Aline",
        "applicant_last_name": "Ndayishimiye",
        "applicant_national_id": "0412/999.000",
        "applicant_birth_date": datetime.date(1990, 5, 17),
        "applicant_phone": "+25779123456",
        "applicant_commune": personas.commune_gitega,
        "language": "fr",
    }
    results, barrier = [], threading.Barrier(4)

    def file_once():
        try:
            barrier.wait()
            dossier = perform(
                None,
                "filed_at_counter",
                personas.clerk_gitega,
                filing_key=key,
                service=personas.building_permit,
                applicant=dict(applicant),
                answers=sample_answers(personas.building_permit),
            )
            results.append(dossier.tracking_number)
        finally:
            connection.close()

    threads = [threading.Thread(target=file_once) for _n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(results) == 4
    assert len(set(results)) == 1
    assert Dossier.objects.filter(filing_key=key).count() == 1


def test_the_domain_refuses_bad_applicant_details_from_any_caller(personas):
    with pytest.raises(InvalidInput) as refused:
        perform(
            None,
            "filed_at_counter",
            personas.clerk_gitega,
            filing_key=uuid.uuid4(),
            service=personas.building_permit,
            applicant={
                "applicant_first_name": "Aline",
                "applicant_last_name": "",
                "applicant_national_id": "??",
                "applicant_birth_date": datetime.date(2990, 1, 1),
                "applicant_phone": "12",
                "applicant_commune": personas.commune_gitega,
                "language": "fr",
            },
            answers={"unknown_question": "x"},
        )

    details = " ".join(refused.value.details)
    for expected in ("national ID", "future", "phone", "asks no question with this code"):
        assert expected.lower() in details.lower(), expected
    assert not Dossier.objects.exists()


# --- Decisions and dated steps ----------------------------------------------------------------


def test_rejection_reasons_must_be_written_for_the_citizen(personas):
    dossier = in_gitega(personas, S.IN_REVIEW)

    for reasons in ("ok", "....", "12345678901234567890", "non"):
        with pytest.raises(InvalidInput):
            perform(dossier.pk, "reject", personas.officer_urbanism, comment=reasons)

    assert Dossier.objects.get(pk=dossier.pk).state == S.IN_REVIEW
    assert not Decision.objects.filter(dossier=dossier).exists()


def test_the_decision_box_shows_the_decision_not_the_last_step(personas, client):
    dossier = in_gitega(personas, S.COLLECTED)
    client.force_login(personas.clerk_gitega)

    page = client.get(reverse("dossier_detail", args=[dossier.tracking_number])).content.decode()

    box = page[page.index('class="decision') : page.index("</section>", page.index("decision"))]
    assert "decision-approved" in box
    assert personas.officer_urbanism.get_full_name() in box
    assert "Collect" not in box and "Remis" not in box
    assert personas.clerk_gitega.get_full_name() not in box


def test_after_a_rejection_the_box_shows_the_reasons(personas, client):
    dossier = in_gitega(personas, S.CLOSED)
    client.force_login(personas.clerk_gitega)

    page = client.get(reverse("dossier_detail", args=[dossier.tracking_number])).content.decode()

    box = page[page.index('class="decision') : page.index("</section>", page.index("decision"))]
    assert "decision-rejected" in box and "protected wetland" in box
    assert "Clos" not in box


def test_a_decision_cannot_be_changed(personas):
    dossier = in_gitega(personas, S.APPROVED)
    decision = Decision.objects.get(dossier=dossier)
    decision.reasons = "Changed afterwards."

    with pytest.raises(TypeError):
        decision.save()
    with pytest.raises(TypeError):
        Decision.objects.filter(pk=decision.pk).update(reasons="x")


def _a_saturday():
    day = next_slot().date()
    while day.weekday() != 5:
        day += datetime.timedelta(days=1)
    return day


@pytest.mark.parametrize(
    "when",
    [
        pytest.param(lambda: next_slot() - datetime.timedelta(days=30), id="past"),
        pytest.param(
            lambda: next_slot().replace(
                year=_a_saturday().year, month=_a_saturday().month, day=_a_saturday().day
            ),
            id="saturday",
        ),
        pytest.param(lambda: next_slot(hour=20), id="evening"),
    ],
)
def test_an_appointment_must_be_on_a_working_day_in_office_hours(personas, when):
    dossier = in_gitega(personas, S.IN_REVIEW, service=personas.passport, officer=None)
    officer = dossier.officer

    with pytest.raises(InvalidInput):
        perform(
            dossier.pk,
            "give_appointment",
            officer,
            scheduled_for=when(),
            place="GUP Gitega",
            what_to_bring="National ID card",
        )

    assert Dossier.objects.get(pk=dossier.pk).state == S.IN_REVIEW


def test_an_appointment_on_a_public_holiday_is_refused(personas):
    dossier = in_gitega(personas, S.IN_REVIEW, service=personas.passport, officer=None)
    year = next_slot().year + 1
    independence_day = next_slot().replace(year=year, month=7, day=1)

    with pytest.raises(InvalidInput) as refused:
        perform(
            dossier.pk,
            "give_appointment",
            dossier.officer,
            scheduled_for=independence_day,
            place="GUP Gitega",
        )

    assert "holiday" in " ".join(refused.value.details)


def test_an_appointment_needs_a_place_and_the_citizen_sees_when_where_and_what_to_bring(
    personas, client
):
    dossier = in_gitega(personas, S.IN_REVIEW, service=personas.passport, officer=None)
    with pytest.raises(InvalidInput):
        perform(dossier.pk, "give_appointment", dossier.officer, scheduled_for=next_slot())

    perform(
        dossier.pk,
        "give_appointment",
        dossier.officer,
        scheduled_for=next_slot(),
        place="GUP Gitega, counter 2",
        what_to_bring="National ID card and two photos",
    )

    client.force_login(personas.citizen)
    page = client.get(reverse("citizen_follow", args=[dossier.public_id])).content.decode()
    assert "GUP Gitega, counter 2" in page
    assert "National ID card and two photos" in page
    assert "10:00" in page


def test_attendance_cannot_be_recorded_before_the_appointment(personas):
    dossier = in_gitega(personas, S.APPOINTMENT, service=personas.passport, officer=None)

    with pytest.raises(InvalidInput):
        perform(dossier.pk, "record_attendance", personas.clerk_gitega)

    assert Dossier.objects.get(pk=dossier.pk).state == S.APPOINTMENT


# --- Withdrawal is confirmed and set apart ----------------------------------------------------


def test_staff_withdraw_from_a_confirmation_page_and_must_say_why(personas, client):
    dossier = in_gitega(personas, S.INTAKE)
    client.force_login(personas.clerk_gitega)
    detail = client.get(reverse("dossier_detail", args=[dossier.tracking_number])).content.decode()
    step_url = reverse("dossier_step", args=[dossier.tracking_number, "withdraw"])

    # A link to a page of its own, apart from the other steps: not a one-click button.
    assert f'class="set-apart"><a class="button danger" href="{step_url}"' in detail
    assert f'<form method="post" action="{step_url}"' not in detail

    empty = client.post(step_url, {"expected_state": S.INTAKE, "comment": ""})
    assert empty.status_code == 400
    assert Dossier.objects.get(pk=dossier.pk).state == S.INTAKE

    done = client.post(
        step_url, {"expected_state": S.INTAKE, "comment": "The citizen asked in person."}
    )
    assert done.status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).state == S.WITHDRAWN


# --- Side effects run after commit, and secrets never reach a log -----------------------------


def _online_draft(personas, language):
    """A draft started by a visitor without an account, and the secret of its resume link."""
    raw, token_hash = new_token()
    dossier = perform(
        None,
        "draft_started",
        None,
        service=personas.building_permit,
        office=personas.office_gitega,
        language=language,
        token_hash=token_hash,
    )
    return dossier, raw


def test_the_resume_link_is_emailed_after_commit_and_never_logged(
    personas, every_log, django_capture_on_commit_callbacks
):
    dossier, raw = _online_draft(personas, "rn")
    dossier.applicant_email = "aline@example.bi"
    holder = Actor.resume_link(dossier.pk)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        perform(
            dossier.pk,
            "draft_saved",
            holder,
            page="applicant",
            applicant={"applicant_email": "aline@example.bi"},
        )
        perform(dossier.pk, "resume_link_sent", holder, link=f"https://gup.bi/resume/{raw}/")
        assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()

    assert len(mail.outbox) == 1
    assert raw in mail.outbox[0].body
    assert all(raw not in record.getMessage() for record in every_log.records)
    entry = dossier.history.order_by("-position").first()
    assert entry.kind == "resume_link_sent"
    assert raw not in str(entry.details) and raw not in entry.comment


def test_linking_a_held_draft_to_an_account_leaves_a_history_row(personas, client):
    dossier, raw = _online_draft(personas, "fr")
    client.get(reverse("citizen_resume", args=[raw]))

    amina = UserFactory(username="amina@example.bi", email="amina@example.bi")
    client.post(
        reverse("citizen_sign_in"),
        {"identifier": "amina@example.bi", "password": PASSWORD},
    )

    dossier.refresh_from_db()
    assert dossier.applicant_account_id == amina.pk
    entry = dossier.history.order_by("-position").first()
    assert (entry.kind, entry.actor_user_id) == ("linked_to_account", amina.pk)


def test_a_resume_link_opens_in_the_dossiers_language(personas, client):
    dossier, raw = _online_draft(personas, "rn")

    response = client.get(reverse("citizen_resume", args=[raw]), follow=True)

    assert response.wsgi_request.LANGUAGE_CODE == "rn"
    assert '<html lang="rn"' in response.content.decode()


def test_hold_keeps_at_most_the_recent_links(rf):
    request = rf.get("/")
    request.session = {}

    class Draft:
        def __init__(self):
            self.public_id = uuid.uuid4()

    for _n in range(25):
        hold(request, Draft(), "token")

    assert len(request.session["gup_resume_tokens"]) == 20


def test_steps_the_service_does_not_have_are_not_offered_nor_listed_as_blocked(personas, client):
    dossier = in_gitega(personas, S.IN_REVIEW)  # a building permit: no appointment step
    client.force_login(personas.officer_urbanism)

    page = client.get(reverse("dossier_detail", args=[dossier.tracking_number])).content.decode()

    assert "give_appointment" not in page
    assert "schedule_inspection" in page
    available, blocked = events.available_steps(dossier, personas.officer_urbanism)
    assert "give_appointment" not in [event.name for event in available]
    assert "give_appointment" not in [event.name for event, _why in blocked]


def test_signing_in_brings_back_the_language_chosen_at_sign_up(db, client):
    UserFactory(
        username="gloriose@example.bi", email="gloriose@example.bi", preferred_language="rn"
    )

    client.post(
        reverse("citizen_sign_in"),
        {"identifier": "gloriose@example.bi", "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert client.cookies["django_language"].value == "rn"
    assert '<html lang="rn"' in client.get(reverse("my_dossiers")).content.decode()


@pytest.mark.django_db(transaction=True)
def test_staff_are_told_at_once_when_someone_holds_the_dossier(personas):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    from django.db import transaction

    from workflows.exceptions import DossierConflict

    dossier = in_gitega(personas, S.INTAKE)
    locked, release = threading.Event(), threading.Event()

    def hold_the_row():
        try:
            with transaction.atomic():
                Dossier.objects.select_for_update().get(pk=dossier.pk)
                locked.set()
                release.wait()
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_row)
    holder.start()
    locked.wait()
    try:
        with pytest.raises(DossierConflict):
            perform(dossier.pk, "withdraw", personas.clerk_gitega, comment="Asked at the counter.")
    finally:
        release.set()
        holder.join()
    assert Dossier.objects.get(pk=dossier.pk).state == S.INTAKE


def test_the_project_package_does_not_depend_on_the_domains_views():
    imports = []
    for path in (ROOT / "gup").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "workflows.views"
            ):
                imports.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert imports == []
