"""``manage.py bench_pdf``: figures for every kind of document that has a builder, and nothing
left behind. The figures themselves are reported in issue notes, never asserted: they depend on
the machine.
"""

import json

import pytest
from django.apps import apps
from django.core.management import call_command

from tests.factories import DossierFactory
from workflows.documents import benchmark, contents, kinds, qr
from workflows.models import Dossier

pytestmark = pytest.mark.django_db

#: Whatever builders exist when the tests run: the command follows ``contents.BUILDERS``.
MEASURED = [name for name in kinds.KINDS if name in contents.BUILDERS]
FIGURES = ("p50_ms", "p95_ms", "bytes")


@pytest.fixture(autouse=True)
def pillow_as_it_was():
    """Importing WeasyPrint sets Pillow's ``LOAD_TRUNCATED_IMAGES`` for the whole process, which
    turns off the check for damaged images in ``workflows.uploads`` once a process has printed
    (reported; a fix belongs in ``render.py``). Put it back, so that the upload tests running
    after these still see Pillow's default."""
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    yield
    ImageFile.LOAD_TRUNCATED_IMAGES = before


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for label in ("workflows", "services", "accounts")
        for model in apps.get_app_config(label).get_models()
    }


def stored_files(root) -> set:
    return set(root.rglob("*")) if root.exists() else set()


def test_json_has_the_figures_of_every_kind_and_the_database_is_untouched(
    personas, capsys, settings
):
    # A database in use: the benchmark's own rows must neither clash with these nor stay.
    DossierFactory(
        service=personas.passport, office=personas.office_gitega, counter=True, approved=True
    )
    rows, files = row_counts(), stored_files(settings.UPLOAD_ROOT)

    call_command("bench_pdf", "--rounds", "2", "--warmup", "1", "--json")

    result = json.loads(capsys.readouterr().out)  # one JSON object and nothing else
    assert set(result["documents"]) == set(MEASURED)
    for figures in [result["bare"], *result["documents"].values()]:
        assert all(figures[key] > 0 for key in FIGURES), figures
    assert row_counts() == rows
    assert stored_files(settings.UPLOAD_ROOT) == files


def test_the_text_report_names_every_kind(capsys):
    call_command("bench_pdf", "--rounds", "1", "--warmup", "0")

    report = capsys.readouterr().out
    assert "bare WeasyPrint" in report
    for name in MEASURED:
        assert name in report


def test_memory_and_qr_sizes_are_added_on_request(capsys, monkeypatch):
    monkeypatch.setattr(benchmark, "MEMORY_WARMUP_RENDERS", 1)

    call_command("bench_pdf", "--rounds", "1", "--warmup", "0", "--memory", "2", "--json")

    result = json.loads(capsys.readouterr().out)
    assert result["memory"]["renders"] == 2
    assert result["memory"]["rss_end_mb"] > 0
    assert "qr_sizes" not in result


def test_the_measured_renders_may_not_touch_the_database():
    with pytest.raises(benchmark.DatabaseTouched), benchmark.no_database():
        Dossier.objects.count()


def test_our_seal_stays_in_the_smallest_qr_code():
    ours, base45, base64url = benchmark.qr_sizes()

    assert ours["mode"] == "alphanumeric"
    assert ours["version"] <= qr.MAX_VERSION
    assert base45["mode"] == base64url["mode"] == "byte"
    assert ours["version"] <= min(base45["version"], base64url["version"])


def test_base45_follows_rfc_9285():
    assert benchmark.encode_base45(b"AB") == "BB8"
    assert benchmark.encode_base45(b"Hello!!") == "%69 VD92EX0"
    assert benchmark.encode_base45(b"base-45") == "UJCLQE7W581"
