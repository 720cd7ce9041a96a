"""Many people acting on the same dossier at the same moment: one wins, the others are told.

These tests need real concurrent transactions, so they commit (``transaction=True``) and run each
attempt in its own thread, with its own database connection, released together by a barrier.
"""

import threading
import uuid

import pytest
from django.db import connection
from django.utils import timezone, translation

from tests.factories import UserFactory, dossier_in_state, sample_answers, sample_upload
from workflows.actions import perform
from workflows.exceptions import DossierConflict, TransitionRefused
from workflows.models import Dossier, HistoryEntry
from workflows.states import DossierState
from workflows.tracking import format_tracking_number, is_valid

pytestmark = pytest.mark.django_db(transaction=True)

N = 8
SOMEONE_ELSE = "Someone else is handling this dossier"


def race(attempts):
    """Run every callable in its own thread, all released at once; return result or error each."""
    barrier = threading.Barrier(len(attempts))
    outcomes = [None] * len(attempts)
    language = translation.get_language()  # the active language is per thread

    def run(index, attempt):
        translation.activate(language)
        try:
            connection.ensure_connection()  # connect first, so that only the attempts race
            barrier.wait(timeout=10)
            outcomes[index] = attempt()
        except Exception as error:  # noqa: BLE001  (every outcome is inspected below)
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def winners_and_losers(outcomes):
    winners = [i for i, outcome in enumerate(outcomes) if isinstance(outcome, Dossier)]
    losers = [outcome for outcome in outcomes if not isinstance(outcome, Dossier)]
    return winners, losers


def assert_told_clearly(loser, state_now):
    """A loser hears that someone else got there first, or in which state the dossier now is."""
    if isinstance(loser, DossierConflict):
        assert SOMEONE_ELSE in str(loser.message)
    else:
        assert isinstance(loser, TransitionRefused), repr(loser)
        assert f"while the dossier is “{state_now.label}”" in str(loser.message)


def gitega_dossier(personas, state):
    return dossier_in_state(
        state,
        service=personas.building_permit,
        office=personas.office_gitega,
        applicant_account=personas.citizen,
        clerk=personas.clerk_gitega,
    )


def urbanism_officers(personas):
    officers = [
        personas.officer_urbanism,
        personas.other_officer_urbanism,
        personas.supervisor_urbanism,
    ]
    officers += UserFactory.create_batch(
        N - len(officers), officer=True, institution=personas.urbanism
    )
    return officers


def gitega_clerks(personas):
    clerks = [personas.clerk_gitega, personas.supervisor_gitega]
    clerks += UserFactory.create_batch(N - len(clerks), clerk=True, office=personas.office_gitega)
    return clerks


@pytest.mark.parametrize(
    "expected_state",
    [DossierState.FORWARDED, None],
    ids=["from-the-page-they-saw", "without-expected-state"],
)
def test_eight_officers_claim_one_dossier_and_one_gets_it(personas, expected_state):
    dossier = gitega_dossier(personas, DossierState.FORWARDED)
    history_before = HistoryEntry.objects.filter(dossier=dossier).count()
    officers = urbanism_officers(personas)

    outcomes = race(
        [
            lambda officer=officer: perform(
                dossier.pk, "receive", officer, expected_state=expected_state
            )
            for officer in officers
        ]
    )

    winners, losers = winners_and_losers(outcomes)
    assert len(winners) == 1, outcomes
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.state == DossierState.IN_REVIEW
    assert dossier.officer == officers[winners[0]]
    assert HistoryEntry.objects.filter(dossier=dossier).count() == history_before + 1
    assert dossier.history.order_by("position").last().actor_user == officers[winners[0]]
    for loser in losers:
        assert_told_clearly(loser, DossierState.IN_REVIEW)
    if expected_state is not None:
        # The page they saw said "forwarded": every loser is told someone else was quicker.
        assert all(isinstance(loser, DossierConflict) for loser in losers)


def test_eight_clerks_forward_one_dossier_and_it_leaves_once(personas):
    dossier = gitega_dossier(personas, DossierState.INTAKE)
    history_before = HistoryEntry.objects.filter(dossier=dossier).count()
    clerks = gitega_clerks(personas)

    outcomes = race(
        [
            lambda clerk=clerk: perform(
                dossier.pk, "forward", clerk, expected_state=DossierState.INTAKE
            )
            for clerk in clerks
        ]
    )

    winners, losers = winners_and_losers(outcomes)
    assert len(winners) == 1, outcomes
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.state == DossierState.FORWARDED
    assert dossier.institution == personas.urbanism
    assert HistoryEntry.objects.filter(dossier=dossier).count() == history_before + 1
    assert dossier.history.order_by("position").last().actor_user == clerks[winners[0]]
    for loser in losers:
        assert isinstance(loser, DossierConflict), repr(loser)
        assert SOMEONE_ELSE in str(loser.message)


def counter_applicant(personas):
    return {
        "applicant_first_name": "Divine",
        "applicant_last_name": "Irakoze",
        "applicant_national_id": "0412/345.678",
        "applicant_birth_date": "1990-05-17",
        "applicant_phone": "+25779123456",
        "applicant_commune": personas.commune_gitega,
        "language": "fr",
    }


def file_at_counter(personas, clerk, filing_key):
    service = personas.building_permit
    documents = {doc: sample_upload(doc.accepted_types) for doc in service.documents.all()}
    return perform(
        None,
        "filed_at_counter",
        clerk,
        filing_key=filing_key,
        service=service,
        applicant=counter_applicant(personas),
        answers=sample_answers(service),
        documents=documents,
    )


def test_eight_filings_at_one_office_get_consecutive_numbers(personas):
    clerks = gitega_clerks(personas)

    def file(clerk):
        return file_at_counter(personas, clerk, uuid.uuid4())

    outcomes = race([lambda clerk=clerk: file(clerk) for clerk in clerks])

    assert all(isinstance(outcome, Dossier) for outcome in outcomes), outcomes
    numbers = sorted(outcome.tracking_number for outcome in outcomes)
    year = timezone.localdate(outcomes[0].submitted_at).year
    assert numbers == [format_tracking_number("GIT", year, n) for n in range(1, N + 1)]
    assert all(is_valid(number) for number in numbers)
    assert Dossier.objects.filter(office=personas.office_gitega).count() == N


def test_one_counter_form_posted_eight_times_at_once_files_one_dossier(personas):
    filing_key = uuid.uuid4()

    outcomes = race(
        [lambda: file_at_counter(personas, personas.clerk_gitega, filing_key) for _ in range(N)]
    )

    assert all(isinstance(outcome, Dossier) for outcome in outcomes), outcomes
    assert len({outcome.pk for outcome in outcomes}) == 1
    dossier = Dossier.objects.get(filing_key=filing_key)
    assert Dossier.objects.filter(office=personas.office_gitega).count() == 1
    assert HistoryEntry.objects.filter(dossier=dossier, kind="filed_at_counter").count() == 1
    assert dossier.documents.count() == 1  # one filing receipt
    assert dossier.attachments.count() == personas.building_permit.documents.count()
