"""Files survive errors: a counter form sent with errors keeps the documents that passed the
checks, for that form and that clerk, until the dossier is filed or the time runs out."""

import datetime
import hashlib
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.factories import MINIMAL_PDF, PASSWORD, UserFactory, png_bytes
from tests.test_counter_views import filing_data, stored_files
from workflows import periodic, schedule
from workflows.models import Attachment, Dossier, PendingUpload
from workflows.models.pending_upload import PENDING_UPLOAD_KEPT

pytestmark = pytest.mark.django_db

OTHER_PDF = MINIMAL_PDF.replace(b"200 200", b"300 300")


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def clerk_client(client, clerk_gitega):
    client.login(username=clerk_gitega.username, password=PASSWORD)
    return client


@pytest.fixture
def url(building_permit):
    return reverse("counter_file", args=[building_permit.code])


def with_error(commune, key, **overrides):
    """The form with the applicant's first name forgotten, and the given files."""
    return filing_data(
        commune,
        **{"filing-filing_key": key, "applicant-applicant_first_name": "", **overrides},
    )


def corrected(commune, key, **overrides):
    """The same form corrected, sent without choosing any file again."""
    return filing_data(
        commune,
        **{
            "filing-filing_key": key,
            "document-plans": None,
            "document-national-id": None,
            "document-site-photo": None,
            **overrides,
        },
    )


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def test_the_files_that_passed_the_checks_are_kept_and_shown(
    clerk_client, clerk_gitega, url, commune_gitega, upload_root
):
    key = str(uuid.uuid4())
    before = timezone.now()

    response = clerk_client.post(url, with_error(commune_gitega, key))

    assert response.status_code == 400
    assert not Dossier.objects.exists() and not Attachment.objects.exists()
    kept = {row.document.code: row for row in PendingUpload.objects.select_related("document")}
    assert set(kept) == {"plans", "national-id", "site-photo"}
    for row in kept.values():
        assert str(row.filing_key) == key
        assert row.uploaded_by == clerk_gitega
        assert row.path.read_bytes()
        assert (
            before + PENDING_UPLOAD_KEPT <= row.expires_at <= timezone.now() + PENDING_UPLOAD_KEPT
        )
    assert len(stored_files(upload_root)) == 3
    page = response.content.decode()
    assert f"Kept: plans.pdf, {len(MINIMAL_PDF)}" in page
    assert "Kept: site.png" in page
    assert 'name="document-plans-remove"' in page
    # The same key again, so that the corrected form finds its files.
    assert f'name="filing-filing_key" value="{key}"' in page
    # A kept mandatory document needs no new file, and says it is kept.
    assert not response.context["documents_form"].fields["plans"].required


def test_the_corrected_form_files_the_dossier_with_the_kept_files(
    clerk_client, url, commune_gitega, upload_root, django_capture_on_commit_callbacks
):
    key = str(uuid.uuid4())
    clerk_client.post(url, with_error(commune_gitega, key))

    with django_capture_on_commit_callbacks(execute=True):
        response = clerk_client.post(url, corrected(commune_gitega, key))

    dossier = Dossier.objects.get()
    assert response.status_code == 302
    attached = {a.document.code: a for a in dossier.attachments.select_related("document")}
    assert set(attached) == {"plans", "national-id", "site-photo"}
    assert attached["plans"].sha256 == sha(MINIMAL_PDF)
    assert attached["plans"].original_name == "plans.pdf"
    assert attached["plans"].path.read_bytes() == MINIMAL_PDF
    # Nothing lingers after filing: no row, no file but the dossier's own.
    assert not PendingUpload.objects.exists()
    assert sorted(stored_files(upload_root)) == sorted(a.path for a in attached.values())


def test_sending_the_filed_form_again_finds_the_dossier(clerk_client, url, commune_gitega):
    key = str(uuid.uuid4())
    clerk_client.post(url, with_error(commune_gitega, key))
    first = clerk_client.post(url, corrected(commune_gitega, key))

    again = clerk_client.post(url, corrected(commune_gitega, key))

    assert again.status_code == 302 and again.url == first.url
    assert Dossier.objects.count() == 1


def test_a_newly_chosen_file_replaces_the_kept_one(
    clerk_client, url, commune_gitega, upload_root, django_capture_on_commit_callbacks
):
    key = str(uuid.uuid4())
    clerk_client.post(url, with_error(commune_gitega, key))
    first_plans = PendingUpload.objects.get(document__code="plans")

    with django_capture_on_commit_callbacks(execute=True):
        response = clerk_client.post(
            url,
            with_error(
                commune_gitega,
                key,
                **{"document-plans": SimpleUploadedFile("plans-v2.pdf", OTHER_PDF)},
            ),
        )

    assert "Kept: plans-v2.pdf" in response.content.decode()
    plans = PendingUpload.objects.get(document__code="plans")
    assert plans.sha256 == sha(OTHER_PDF)
    assert not first_plans.path.exists()
    assert len(stored_files(upload_root)) == 3

    clerk_client.post(url, corrected(commune_gitega, key))
    assert Dossier.objects.get().attachments.get(document__code="plans").sha256 == sha(OTHER_PDF)


def test_a_new_file_that_fails_the_checks_is_refused_and_the_kept_one_stays(
    clerk_client, url, commune_gitega
):
    key = str(uuid.uuid4())
    clerk_client.post(url, with_error(commune_gitega, key))

    response = clerk_client.post(
        url,
        corrected(
            commune_gitega, key, **{"document-plans": SimpleUploadedFile("plans.pdf", b"MZ\x90")}
        ),
    )

    assert response.status_code == 400
    assert "is not a PDF document" in " ".join(response.context["documents_form"].errors["plans"])
    assert PendingUpload.objects.get(document__code="plans").sha256 == sha(MINIMAL_PDF)
    assert not Dossier.objects.exists()


def test_invalid_files_get_their_message_and_are_not_kept(clerk_client, url, commune_gitega):
    key = str(uuid.uuid4())
    bad = SimpleUploadedFile("plans.pdf", png_bytes())  # a PNG named .pdf

    response = clerk_client.post(url, with_error(commune_gitega, key, **{"document-plans": bad}))

    assert "is not a PDF document" in " ".join(response.context["documents_form"].errors["plans"])
    assert set(PendingUpload.objects.values_list("document__code", flat=True)) == {
        "national-id",
        "site-photo",
    }
    # Corrected, but still without the plans: they must be chosen.
    again = clerk_client.post(url, corrected(commune_gitega, key))
    assert again.status_code == 400
    assert "This field is required" in " ".join(again.context["documents_form"].errors["plans"])
    assert not Dossier.objects.exists()


def test_a_kept_optional_file_can_be_removed(
    clerk_client, url, commune_gitega, upload_root, django_capture_on_commit_callbacks
):
    key = str(uuid.uuid4())
    clerk_client.post(url, with_error(commune_gitega, key))
    photo = PendingUpload.objects.get(document__code="site-photo")

    with django_capture_on_commit_callbacks(execute=True):
        response = clerk_client.post(
            url, corrected(commune_gitega, key, **{"document-site-photo-remove": "1"})
        )

    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert set(dossier.attachments.values_list("document__code", flat=True)) == {
        "plans",
        "national-id",
    }
    assert not photo.path.exists()


def test_removing_a_kept_mandatory_file_asks_for_it_and_forgets_it(
    clerk_client, url, commune_gitega
):
    key = str(uuid.uuid4())
    clerk_client.post(url, with_error(commune_gitega, key))

    response = clerk_client.post(
        url, corrected(commune_gitega, key, **{"document-plans-remove": "1"})
    )

    assert response.status_code == 400
    assert "Choose the file" in " ".join(response.context["documents_form"].errors["plans"])
    assert not PendingUpload.objects.filter(document__code="plans").exists()
    assert "Kept: plans.pdf" not in response.content.decode()
    assert not Dossier.objects.exists()


def test_another_clerk_cannot_use_someone_elses_kept_files(
    client, clerk_gitega, office_gitega, url, commune_gitega
):
    key = str(uuid.uuid4())
    client.login(username=clerk_gitega.username, password=PASSWORD)
    client.post(url, with_error(commune_gitega, key))
    kept = set(PendingUpload.objects.values_list("pk", "stored_name"))

    colleague = UserFactory(clerk=True, office=office_gitega)
    client.login(username=colleague.username, password=PASSWORD)
    response = client.post(url, corrected(commune_gitega, key))

    assert response.status_code == 400
    assert "This field is required" in " ".join(response.context["documents_form"].errors["plans"])
    assert "Kept:" not in response.content.decode()
    assert not Dossier.objects.exists()
    # The first clerk's files are untouched, and still theirs alone.
    assert set(PendingUpload.objects.values_list("pk", "stored_name")) == kept
    assert set(PendingUpload.objects.values_list("uploaded_by", flat=True)) == {clerk_gitega.pk}


def test_a_kept_file_altered_on_disk_is_not_used(clerk_client, url, commune_gitega):
    key = str(uuid.uuid4())
    clerk_client.post(url, with_error(commune_gitega, key))
    PendingUpload.objects.get(document__code="plans").path.write_bytes(b"%PDF-tampered")

    response = clerk_client.post(url, corrected(commune_gitega, key))

    assert response.status_code == 400
    assert "no longer available" in " ".join(response.context["documents_form"].errors["plans"])
    assert not Dossier.objects.exists()


def test_an_expired_form_keeps_its_files_under_the_fresh_key(clerk_client, url, commune_gitega):
    response = clerk_client.post(url, with_error(commune_gitega, None))

    fresh = str(response.context["filing_form"]["filing_key"].value())
    assert {str(key) for key in PendingUpload.objects.values_list("filing_key", flat=True)} == {
        fresh
    }
    filed = clerk_client.post(url, corrected(commune_gitega, fresh))
    assert filed.status_code == 302
    assert Dossier.objects.get().attachments.count() == 3


def test_stale_kept_files_are_removed_with_their_files(
    clerk_client, url, commune_gitega, upload_root, django_capture_on_commit_callbacks
):
    clerk_client.post(url, with_error(commune_gitega, str(uuid.uuid4())))
    stale = list(PendingUpload.objects.all())
    now = timezone.now()
    PendingUpload.objects.update(
        created_at=now - datetime.timedelta(hours=13), expires_at=now - datetime.timedelta(hours=1)
    )
    clerk_client.post(url, with_error(commune_gitega, str(uuid.uuid4())))
    fresh = set(PendingUpload.objects.exclude(pk__in=[row.pk for row in stale]))
    assert len(fresh) == 3

    with django_capture_on_commit_callbacks(execute=True):
        removed = periodic.remove_stale_pending_uploads()

    assert removed == 3
    assert set(PendingUpload.objects.all()) == fresh
    assert sorted(stored_files(upload_root)) == sorted(row.path for row in fresh)
    # Twice is harmless.
    assert periodic.remove_stale_pending_uploads() == 0
    assert all(not row.path.exists() for row in stale)


def test_the_job_is_scheduled():
    assert schedule.JOBS["pending-uploads"] is periodic.remove_stale_pending_uploads


def test_an_expired_kept_file_is_not_offered_even_before_the_job_runs(
    clerk_client, url, commune_gitega
):
    key = str(uuid.uuid4())
    clerk_client.post(url, with_error(commune_gitega, key))
    now = timezone.now()
    PendingUpload.objects.update(
        created_at=now - datetime.timedelta(hours=13), expires_at=now - datetime.timedelta(hours=1)
    )

    response = clerk_client.post(url, corrected(commune_gitega, key))

    assert response.status_code == 400
    assert "This field is required" in " ".join(response.context["documents_form"].errors["plans"])


def test_a_lookup_after_errors_keeps_the_kept_files_on_offer(
    clerk_client, clerk_gitega, office_gitega, building_permit, url, commune_gitega
):
    key = str(uuid.uuid4())
    error_page = clerk_client.post(url, with_error(commune_gitega, key)).content.decode()
    lookup_form = error_page.split('class="stack lookup"')[1].split("</form>")[0]
    assert f'name="filing-filing_key" value="{key}"' in lookup_form

    page = clerk_client.get(url, {"lookup-national_id": "0412/345.678", "filing-filing_key": key})

    assert page.status_code == 200
    assert str(page.context["filing_form"]["filing_key"].value()) == key
    assert "Kept: plans.pdf" in page.content.decode()
    filed = clerk_client.post(url, corrected(commune_gitega, key))
    assert filed.status_code == 302
    assert Dossier.objects.get().attachments.count() == 3


def test_a_lookup_never_reuses_the_key_of_a_filed_dossier(clerk_client, url, commune_gitega):
    key = str(uuid.uuid4())
    clerk_client.post(url, filing_data(commune_gitega, **{"filing-filing_key": key}))

    page = clerk_client.get(url, {"lookup-national_id": "0412/345.678", "filing-filing_key": key})

    assert str(page.context["filing_form"]["filing_key"].value()) != key
    assert not page.context["documents_form"].kept
