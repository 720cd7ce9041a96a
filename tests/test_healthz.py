"""``/healthz`` tells a load balancer whether this process can serve, and what is down."""

import pytest

pytestmark = pytest.mark.django_db


def test_healthy_with_database_and_redis(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}


def test_never_cached(client):
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]


def test_unavailable_when_redis_does_not_answer(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == "ok"
    assert body["redis"].startswith("error: ")


def test_healthy_without_redis_in_the_embedded_setup(client, settings):
    settings.REDIS_URL = ""

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["redis"] == "not configured"


def test_unavailable_when_the_database_check_fails(client, monkeypatch):
    monkeypatch.setattr("gup.health.database_status", lambda: "error: OperationalError")

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "error: OperationalError",
        "redis": "ok",
    }


def test_post_is_refused(client):
    response = client.post("/healthz")

    assert response.status_code == 405
