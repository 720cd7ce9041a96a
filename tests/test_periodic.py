"""The scheduled work: abandoned drafts expire, citizens are warned and reminded, staff get their
digest; every job safe to run twice."""

import datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.factories import DossierFactory, UserFactory, clock_at
from workflows import online, periodic
from workflows.models import Dossier, OutboxMessage
from workflows.states import DossierState as S

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def untouched_for(dossier, days: int) -> Dossier:
    Dossier.objects.filter(pk=dossier.pk).update(updated_at=timezone.now() - days * DAY)
    dossier.refresh_from_db()
    return dossier


def told(dossier, topic: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(dossier=dossier, topic=topic).order_by("effect"))


# --- Drafts -------------------------------------------------------------------------------------


def test_drafts_untouched_for_thirty_days_expire_and_their_link_dies(
    django_capture_on_commit_callbacks,
):
    abandoned = untouched_for(DossierFactory(state=S.DRAFT, resume_token_hash="ab" * 32), 31)
    recent = untouched_for(DossierFactory(state=S.DRAFT), online.DRAFT_KEPT_DAYS - 1)
    filed = untouched_for(DossierFactory(state=S.SUBMITTED), 400)

    with django_capture_on_commit_callbacks(execute=True):
        assert periodic.expire_abandoned_drafts() == 1
        assert periodic.expire_abandoned_drafts() == 0  # run twice: nothing more

    abandoned.refresh_from_db()
    assert abandoned.state == S.EXPIRED and abandoned.resume_token_hash == ""
    entry = abandoned.history.order_by("-position").first()
    assert (entry.kind, entry.actor_kind) == ("expire", "system")
    assert Dossier.objects.get(pk=recent.pk).state == S.DRAFT
    assert Dossier.objects.get(pk=filed.pk).state == S.SUBMITTED


def test_a_citizen_is_warned_once_three_days_before_the_draft_expires(
    django_capture_on_commit_callbacks, sms_outbox
):
    soon = untouched_for(
        DossierFactory(state=S.DRAFT, applicant_email="aline@example.bi", language="rn"), 28
    )
    not_yet = untouched_for(DossierFactory(state=S.DRAFT), 20)
    unreachable = untouched_for(DossierFactory(state=S.DRAFT, applicant_phone=""), 28)

    with django_capture_on_commit_callbacks(execute=True):
        assert periodic.warn_expiring_drafts() == 2  # by SMS and by email
        assert periodic.warn_expiring_drafts() == 0

    messages = told(soon, "draft_expiring")
    assert [(m.effect, m.language, m.status) for m in messages] == [
        ("email", "rn", "done"),
        ("sms", "rn", "done"),
    ]
    assert [sms.to for sms in sms_outbox] == [soon.applicant_phone]
    assert [message.to for message in mail.outbox] == [["aline@example.bi"]]
    assert told(not_yet, "draft_expiring") == told(unreachable, "draft_expiring") == []


# --- Documents waiting at the office ----------------------------------------------------------


def test_a_document_waiting_at_the_office_is_recalled_weekly_four_times(
    django_capture_on_commit_callbacks, sms_outbox
):
    ready = DossierFactory(state=S.READY_FOR_COLLECTION, language="en")
    OutboxMessage.objects.all().delete()
    now = timezone.now()

    reminders = []
    with django_capture_on_commit_callbacks(execute=True):
        for days in (3, 7, 8, 14, 21, 28, 35, 60):
            reminders.append(periodic.remind_uncollected_documents(now + days * DAY))

    assert reminders == [0, 1, 0, 1, 1, 1, 0, 0]
    assert len(told(ready, "collection_reminder")) == 4
    assert len(sms_outbox) == 4


def test_collected_documents_are_not_recalled(django_capture_on_commit_callbacks):
    collected = DossierFactory(state=S.COLLECTED)
    with django_capture_on_commit_callbacks(execute=True):
        assert periodic.remind_uncollected_documents(timezone.now() + 8 * DAY) == 0
    assert told(collected, "collection_reminder") == []


# --- The staff's daily digest -----------------------------------------------------------------


def test_staff_get_one_digest_a_day_of_the_overdue_dossiers_waiting_on_them(
    django_capture_on_commit_callbacks, office_gitega, office_ngozi, passport
):
    clerk = UserFactory(clerk=True, office=office_gitega, email="clerk@example.org")
    other_clerk = UserFactory(clerk=True, office=office_ngozi, email="other@example.org")
    silent = UserFactory(clerk=True, office=office_gitega, email="")
    late = DossierFactory(state=S.INTAKE, office=office_gitega, service=passport, clerk=clerk)
    waiting = DossierFactory(state=S.RETURNED, office=office_gitega, service=passport, clerk=clerk)
    weeks_later = timezone.now() + 120 * DAY
    mail.outbox.clear()

    with clock_at(weeks_later), django_capture_on_commit_callbacks(execute=True):
        assert periodic.send_overdue_digests() == 1
        assert periodic.send_overdue_digests() == 0  # once a day, however often it runs

    [digest] = OutboxMessage.objects.filter(topic="overdue_digest")
    assert (digest.user, digest.recipient, digest.status) == (clerk, "clerk@example.org", "done")
    assert [message.to for message in mail.outbox] == [["clerk@example.org"]]
    body = mail.outbox[0].body
    assert late.tracking_number in body
    # Waiting for the citizen: the clock is stopped, nobody at the office is late.
    assert waiting.tracking_number not in body
    assert not OutboxMessage.objects.filter(user__in=[other_clerk, silent]).exists()


def test_an_officer_is_told_of_the_overdue_dossiers_they_hold(
    django_capture_on_commit_callbacks, officer_migration, passport, office_gitega
):
    held = DossierFactory(
        state=S.IN_REVIEW, service=passport, office=office_gitega, officer=officer_migration
    )
    Dossier.objects.filter(pk=held.pk).update(due_date=timezone.localdate() - DAY)
    officer_migration.email = "officer@example.org"
    officer_migration.save()

    with django_capture_on_commit_callbacks(execute=True):
        assert periodic.send_overdue_digests() == 1

    assert held.tracking_number in mail.outbox[-1].body


# --- By hand ----------------------------------------------------------------------------------


def test_run_periodic_runs_the_named_jobs_and_refuses_unknown_names(capsys):
    call_command("run_periodic", "outbox-sweep", "collection")
    assert capsys.readouterr().out.splitlines() == ["outbox-sweep: 0", "collection: 0"]
    with pytest.raises(CommandError, match="Unknown job"):
        call_command("run_periodic", "everything")


def test_clean_up_forgets_spent_codes_and_old_dead_letters_secrets(
    django_capture_on_commit_callbacks,
):
    from gup.accounts import one_time_codes
    from gup.accounts.models import CodePurpose, OneTimeCode
    from workflows import outbox
    from workflows.models import Effect, OutboxState

    with django_capture_on_commit_callbacks(execute=True):
        one_time_codes.issue("+25779123456", CodePurpose.VERIFY_PHONE, "user:1", "fr")
    with clock_at(timezone.now() - 3 * DAY), django_capture_on_commit_callbacks():
        old_dead = outbox.write(
            Effect.SMS, topic="one_time_code", recipient="+25779000009", secrets={"code": "1"}
        )
        recent_dead = outbox.write(
            Effect.SMS, topic="one_time_code", recipient="+25779000008", secrets={"code": "2"}
        )
    OutboxMessage.objects.filter(pk=old_dead.pk).update(
        status=OutboxState.DEAD, finished_at=timezone.now() - 8 * DAY
    )
    OutboxMessage.objects.filter(pk=recent_dead.pk).update(
        status=OutboxState.DEAD, finished_at=timezone.now() - DAY
    )

    assert periodic.clean_up() == {"one_time_codes": 0, "dead_letter_secrets": 1}
    assert periodic.clean_up(timezone.now() + 2 * DAY)["one_time_codes"] == 1
    assert not OneTimeCode.objects.exists()
    assert OutboxMessage.objects.get(pk=old_dead.pk).sealed_secrets == ""
    assert OutboxMessage.objects.get(pk=recent_dead.pk).sealed_secrets != ""  # still retriable
