"""make test stops at once, saying how to start PostgreSQL or Redis, when one is down."""

import time

from gup import preflight


def test_both_servers_up_passes(monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gup_test")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/15")
    assert preflight.main() == 0
    assert "reachable" in capsys.readouterr().out


def test_a_server_down_stops_quickly_with_the_command_that_starts_it(monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:1/gup_test")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/15")

    started = time.monotonic()
    assert preflight.main() == 1
    assert time.monotonic() - started < 15

    message = capsys.readouterr().err
    assert "pg_ctlcluster --skip-systemctl-redirect" in message
    assert "redis-server --daemonize yes" in message
