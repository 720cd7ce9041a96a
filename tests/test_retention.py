"""Retention: files of dossiers finished long ago are removed; their hashes and a trace stay."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import AttachmentFactory, clock_at, dossier_in_state
from workflows import periodic, retention, schedule
from workflows.actions import perform
from workflows.actors import Actor
from workflows.exceptions import ActionError
from workflows.history_chain import Verification
from workflows.models import Attachment, HistoryEntry
from workflows.states import DossierState as S

DAYS = 365
LONG_AGO = timezone.now() - datetime.timedelta(days=DAYS + 30)
RECENTLY = timezone.now() - datetime.timedelta(days=DAYS - 30)


@pytest.fixture(autouse=True)
def retention_days(settings):
    settings.GUP_ATTACHMENT_RETENTION_DAYS = DAYS


def finished(at, state=S.COLLECTED, **kwargs):
    with clock_at(at):
        dossier = dossier_in_state(state, **kwargs)
        AttachmentFactory(dossier=dossier)
    return dossier


@pytest.fixture
def purge(django_capture_on_commit_callbacks):
    """Run the job as the scheduler does: files go once each dossier's event has committed."""

    def run(job=retention.purge, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return job(**kwargs)

    return run


@pytest.fixture
def old(building_permit, office_gitega):
    return finished(LONG_AGO, service=building_permit, office=office_gitega)


def test_files_of_a_dossier_finished_long_ago_are_removed_and_their_hashes_kept(purge, old):
    files = list(old.attachments.all())
    assert files and all(f.path.exists() for f in files)

    assert purge(periodic.purge_expired_attachments) == 1

    for before in files:
        after = Attachment.objects.get(pk=before.pk)
        assert not after.path.exists()
        assert after.purged_at is not None
        assert (after.sha256, after.size, after.original_name) == (
            before.sha256,
            before.size,
            before.original_name,
        )
    entry = HistoryEntry.objects.filter(dossier=old).latest("position")
    assert entry.kind == "attachments_purged"
    assert entry.actor_role == "system" or entry.actor_reference == "system"
    assert entry.details["files"] == len(files)
    assert not entry.is_public
    assert list(Verification().problems()) == []


def test_running_twice_writes_one_history_row(purge, old):
    assert purge() == 1
    rows = HistoryEntry.objects.filter(dossier=old).count()
    assert purge() == 0
    # Even asked directly, the event writes nothing more once the files are gone.
    perform(old.pk, "attachments_purged", Actor.system())
    assert HistoryEntry.objects.filter(dossier=old).count() == rows


def test_recent_running_and_kept_for_ever_dossiers_keep_their_files(
    purge, settings, old, building_permit, office_gitega
):
    recent = finished(RECENTLY, service=building_permit, office=office_gitega)
    with clock_at(LONG_AGO):
        running = dossier_in_state(S.SUBMITTED, service=building_permit, office=office_gitega)
    settings.GUP_ATTACHMENT_RETENTION_DAYS = 0
    assert purge() == 0
    assert old.attachments.filter(purged_at__isnull=False).count() == 0

    settings.GUP_ATTACHMENT_RETENTION_DAYS = DAYS
    assert purge() == 1
    for kept in (recent, running):
        assert all(f.path.exists() and f.purged_at is None for f in kept.attachments.all())


def test_a_note_after_the_end_does_not_restart_the_count(purge, old, supervisor_gitega):
    # The history row that ended the dossier counts, not the latest row.
    perform(old.pk, "note_added", supervisor_gitega, comment="Archived in box 12.")
    assert purge() == 1


def test_works_in_batches(purge, building_permit, office_gitega):
    dossiers = [finished(LONG_AGO, service=building_permit, office=office_gitega) for _ in range(3)]
    assert purge(batch_size=2) == 3
    assert not Attachment.objects.filter(dossier__in=dossiers, purged_at__isnull=True).exists()


def test_nobody_but_gup_may_purge(old, supervisor_gitega):
    with pytest.raises(ActionError):
        perform(old.pk, "attachments_purged", supervisor_gitega)
    assert old.attachments.filter(purged_at__isnull=True).exists()


def test_the_event_is_refused_on_a_dossier_still_running(building_permit, office_gitega):
    dossier = dossier_in_state(S.SUBMITTED, service=building_permit, office=office_gitega)
    with pytest.raises(ActionError):
        perform(dossier.pk, "attachments_purged", Actor.system())
    assert all(f.path.exists() for f in dossier.attachments.all())


def test_downloading_a_removed_file_says_so(purge, client, old, supervisor_gitega):
    purge()
    file = old.attachments.first()
    client.force_login(supervisor_gitega)
    client.cookies["django_language"] = "en"  # the assertions are written in English
    for name in ("dossier_attachment", "dossier_attachment_inline"):
        response = client.get(reverse(name, args=[old.tracking_number, file.stored_name]))
        assert response.status_code == 410
        text = response.content.decode()
        assert "removed" in text and file.sha256 in text and file.original_name in text


def test_the_viewer_says_the_file_was_removed_instead_of_showing_it(
    purge, client, old, supervisor_gitega
):
    purge()
    client.force_login(supervisor_gitega)
    client.cookies["django_language"] = "en"  # the assertions are written in English
    response = client.get(reverse("dossier_attachment_view", args=[old.tracking_number, 1]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "was removed on" in page and old.attachments.first().sha256 in page
    assert "<iframe" not in page and "<img" not in page


def test_the_citizen_is_told_too(purge, client, old):
    purge()
    file = old.attachments.first()
    client.force_login(old.applicant_account)
    response = client.get(reverse("citizen_file", args=[old.public_id, file.stored_name]))
    assert response.status_code == 410


def test_the_job_is_scheduled():
    assert schedule.JOBS["attachment-retention"] is periodic.purge_expired_attachments
