"""Filing at the counter: tracking numbers per office and year, the expected date, and nothing left
behind when a filing fails."""

import datetime
import uuid
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from tests.factories import ServiceFactory, clock_at, sample_upload
from workflows import uploads
from workflows.actions import perform
from workflows.exceptions import InvalidInput, NotAllowed
from workflows.models import Attachment, Channel, Dossier, HistoryEntry
from workflows.states import DossierState
from workflows.tracking import format_tracking_number, is_valid

BUJUMBURA = ZoneInfo("Africa/Bujumbura")
# A Friday. The Wednesday after is 1 July, Independence Day.
FRIDAY_MORNING = datetime.datetime(2026, 6, 26, 10, 0, tzinfo=BUJUMBURA)


def walk_in(commune, **overrides):
    """What the clerk types from the citizen's ID card (as ApplicantForm cleans it)."""
    return {
        "applicant_first_name": "Gloriose",
        "applicant_last_name": "Irakoze",
        "applicant_national_id": "0412/345.678",
        "applicant_birth_date": datetime.date(1988, 2, 3),
        "applicant_phone": "+25779123456",
        "applicant_email": "",
        "applicant_commune": commune,
        "language": "rn",
        **overrides,
    }


def documents_for(service):
    return {doc: sample_upload(doc.accepted_types, doc.code) for doc in service.documents.all()}


def answers_for(service):
    """The plot number, for the services that ask it (the building permit)."""
    return {spec.code: "GIT/123" for spec in service.fields.all() if spec.code == "plot_number"}


def file_at(clerk, service, commune, *, filing_key=None, **applicant):
    return perform(
        None,
        "filed_at_counter",
        clerk,
        filing_key=filing_key or uuid.uuid4(),
        service=service,
        applicant=walk_in(commune, **applicant),
        answers=answers_for(service),
        documents=documents_for(service),
    )


def stored_files(root):
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_each_office_numbers_its_dossiers_in_sequence(personas):
    with clock_at(FRIDAY_MORNING):
        first = file_at(personas.clerk_gitega, personas.building_permit, personas.commune_gitega)
        second = file_at(personas.clerk_gitega, personas.passport, personas.commune_gitega)
        ngozi = file_at(personas.clerk_ngozi, personas.building_permit, personas.commune_ngozi)

    assert first.tracking_number == format_tracking_number("GIT", 2026, 1)
    assert first.tracking_number.startswith("GIT-2026-000001-")
    assert second.tracking_number.startswith("GIT-2026-000002-")
    assert ngozi.tracking_number.startswith("NGO-2026-000001-")
    for dossier in (first, second, ngozi):
        assert is_valid(dossier.tracking_number)


def test_the_sequence_starts_again_each_year(personas):
    args = (personas.clerk_gitega, personas.building_permit, personas.commune_gitega)
    with clock_at(datetime.datetime(2026, 12, 31, 15, 0, tzinfo=BUJUMBURA)):
        file_at(*args)
        last_of_2026 = file_at(*args)
    with clock_at(datetime.datetime(2027, 1, 4, 8, 0, tzinfo=BUJUMBURA)):
        first_of_2027 = file_at(*args)

    assert last_of_2026.tracking_number.startswith("GIT-2026-000002-")
    assert first_of_2027.tracking_number.startswith("GIT-2027-000001-")


def test_the_expected_date_counts_working_days_only(personas):
    five_days = ServiceFactory(free=True, target_working_days=5)
    with clock_at(FRIDAY_MORNING) as now:
        dossier = file_at(personas.clerk_gitega, five_days, personas.commune_gitega)

    # Mon 29, Tue 30 June, (Wed 1 July is a holiday), Thu 2, Fri 3, Mon 6 July.
    assert dossier.due_date == datetime.date(2026, 7, 6)
    assert dossier.submitted_at == now


def test_a_counter_filing_is_submitted_and_taken_for_checking_at_once(personas):
    clerk = personas.clerk_gitega
    dossier = file_at(clerk, personas.building_permit, personas.commune_gitega)

    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.state == DossierState.INTAKE
    assert (dossier.channel, dossier.office, dossier.created_by) == (
        Channel.COUNTER,
        personas.office_gitega,
        clerk,
    )
    assert dossier.applicant_account is None
    # One event: filed (it gets its number) and taken for checking, by the clerk.
    history = dossier.history.order_by("position")
    assert [(h.kind, h.from_state, h.to_state, h.actor_user) for h in history] == [
        ("filed_at_counter", "", DossierState.INTAKE, clerk),
    ]
    assert dossier.answers == {"plot_number": "GIT/123"}


def test_the_same_counter_form_sent_twice_files_one_dossier(personas):
    key = uuid.uuid4()
    args = (personas.clerk_gitega, personas.building_permit, personas.commune_gitega)

    first = file_at(*args, filing_key=key)
    again = file_at(*args, filing_key=key)

    assert again.pk == first.pk
    assert again.tracking_number == first.tracking_number
    assert Dossier.objects.count() == 1
    assert HistoryEntry.objects.count() == 1


def test_the_applicant_is_validated_in_the_domain(personas, upload_root):
    with pytest.raises(InvalidInput) as refused:
        file_at(
            personas.clerk_gitega,
            personas.building_permit,
            personas.commune_gitega,
            applicant_phone="12",
            applicant_national_id="??",
        )

    assert len(refused.value.details) == 2
    assert any("phone" in detail.lower() for detail in refused.value.details)
    assert not Dossier.objects.exists()
    assert stored_files(upload_root) == []


def test_answers_are_validated_in_the_domain(personas):
    with pytest.raises(InvalidInput) as refused:
        perform(
            None,
            "filed_at_counter",
            personas.clerk_gitega,
            filing_key=uuid.uuid4(),
            service=personas.building_permit,
            applicant=walk_in(personas.commune_gitega),
            answers={"plot_number": "GIT/123", "colour": "blue"},
            documents=documents_for(personas.building_permit),
        )

    assert refused.value.details == ["This service asks no question with this code."]
    assert not Dossier.objects.exists()


def test_the_documents_are_stored_as_received(personas):
    dossier = file_at(personas.clerk_gitega, personas.passport, personas.commune_gitega)

    attachments = list(dossier.attachments.select_related("document"))
    assert {a.document.code for a in attachments} == {"birth-certificate", "photo"}
    for attachment in attachments:
        assert attachment.path.read_bytes()
        assert attachment.size == attachment.path.stat().st_size
        assert attachment.uploaded_by == personas.clerk_gitega


def test_a_failed_store_leaves_neither_dossier_nor_file(personas, upload_root):
    real_store = uploads.store
    calls = []

    def store_then_fail(inspected):
        calls.append(inspected)
        if len(calls) == 2:
            raise OSError("No space left on device")
        return real_store(inspected)

    with (
        mock.patch("workflows.uploads.store", side_effect=store_then_fail),
        pytest.raises(OSError, match="No space left"),
    ):
        file_at(personas.clerk_gitega, personas.building_permit, personas.commune_gitega)

    assert len(calls) == 2  # the first document was written before the second failed
    assert not Dossier.objects.exists()
    assert not Attachment.objects.exists()
    assert not HistoryEntry.objects.exists()
    assert stored_files(upload_root) == []


def test_a_filing_that_fails_after_storing_its_documents_removes_them(personas, upload_root):
    with (
        mock.patch(
            "workflows.events.filing.allocate_tracking_number", side_effect=RuntimeError("boom")
        ),
        pytest.raises(RuntimeError),
    ):
        file_at(personas.clerk_gitega, personas.building_permit, personas.commune_gitega)

    assert not Dossier.objects.exists()
    assert stored_files(upload_root) == []


def test_a_failed_filing_gives_its_number_back(personas):
    with (
        mock.patch("workflows.uploads.store", side_effect=OSError("disk")),
        pytest.raises(OSError),
    ):
        file_at(personas.clerk_gitega, personas.building_permit, personas.commune_gitega)

    dossier = file_at(personas.clerk_gitega, personas.building_permit, personas.commune_gitega)

    assert "-000001-" in dossier.tracking_number


@pytest.mark.parametrize(
    "who", ["citizen", "officer_urbanism", "administrator", "auditor", "inactive_clerk"]
)
def test_only_active_office_staff_file_at_the_counter(personas, who):
    if who == "inactive_clerk":
        user = personas.clerk_gitega
        user.is_active = False
        user.save()
    else:
        user = getattr(personas, who)

    with pytest.raises(NotAllowed):
        file_at(user, personas.building_permit, personas.commune_gitega)

    assert not Dossier.objects.exists()


def test_a_service_no_longer_offered_cannot_be_filed(personas):
    retired = ServiceFactory(is_active=False)

    with pytest.raises(InvalidInput):
        file_at(personas.clerk_gitega, retired, personas.commune_gitega)

    assert not Dossier.objects.exists()
