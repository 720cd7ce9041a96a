"""The benchmark commands keep working (their figures are reported in issue notes, not asserted)."""

import pytest
from django.core.management import call_command

from workflows.models import Dossier

pytestmark = pytest.mark.django_db


def test_benchmark_queues_prints_figures_and_leaves_nothing_behind(capsys):
    call_command("benchmark_queues", dossiers=60, repeat=1)

    output = capsys.readouterr().out
    assert "inserted 60 dossiers" in output
    assert output.count("queries") == 4
    assert "rolled back" in output
    assert not Dossier.objects.exists()
