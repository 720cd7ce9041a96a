"""``manage.py bench_outbox``: every figure it promises, and nothing left behind (its scratch
database is dropped). The figures themselves are reported in issue notes, never asserted: they
depend on the machine.

The command makes and drops a database of its own and runs worker processes, so it runs here as
a process of its own too, as a developer runs it.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
#: Generous: only ever reached when something is broken.
PATIENCE_SECONDS = 240

pytestmark = [pytest.mark.django_db, pytest.mark.timeout(PATIENCE_SECONDS + 60)]


def bench_outbox(*arguments, **environment) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "bench_outbox", *arguments],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "gup.settings.test", **environment},
        capture_output=True,
        text=True,
        timeout=PATIENCE_SECONDS,
        check=False,
    )


def database_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def test_json_has_every_figure_and_the_scratch_database_is_dropped():
    finished = bench_outbox(
        *("--messages", "20", "--posts", "3", "--warmup", "1", "--dossiers", "30"),
        *("--drain-rounds", "1", "--json"),
    )

    assert finished.returncode == 0, finished.stderr
    result = json.loads(finished.stdout)  # one JSON object and nothing else
    drain = result["drain"]
    assert drain["messages"] == 20
    assert drain["per_second"] > 0
    assert drain["floor_jobs_per_second"] > 0
    assert set(result["filing_post_ms"]) == {"redis_up", "redis_down", "no_outbox"}
    for figures in result["filing_post_ms"].values():
        assert 0 < figures["p50"] <= figures["p95"]
    data = result["data"]
    assert data["dossiers"] == 30
    assert 0 < data["finished"] < 30  # most finished long ago, some still on their way
    assert data["history_rows"] > 30 and data["attachments"] >= 30
    assert result["database"].startswith("gup_bench_outbox_")
    assert not database_exists(result["database"])


def test_sqlite_is_refused_before_anything_is_made(tmp_path):
    finished = bench_outbox(DATABASE_URL=f"sqlite:///{tmp_path / 'gup.sqlite3'}")

    assert finished.returncode == 1
    assert "PostgreSQL" in finished.stderr
    assert list(tmp_path.iterdir()) == []
