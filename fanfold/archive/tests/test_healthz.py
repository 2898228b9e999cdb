"""/healthz: what a load balancer and a monitor see of one app server."""

from __future__ import annotations

import time

import pytest
from django.core.cache import caches
from django.urls import reverse

from fanfold.filters.selectors import shared_index, shared_index_ready

pytestmark = pytest.mark.django_db(transaction=False)


def _wait_for_index(seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not shared_index_ready() and time.monotonic() < deadline:
        time.sleep(0.05)


def test_a_ready_server_answers_200_with_every_check(client, shared_cache, make_work):
    make_work()
    shared_index()
    response = client.get(reverse("archive:healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert set(body["checks"]) == {
        "database",
        "cache",
        "shared_cache",
        "task_queue",
        "filter_index",
    }
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["filter_index"]["state"] == "ready"
    # Never kept by a browser or a proxy in between: the answer must be of now.
    assert "no-store" in response["Cache-Control"]


# The index is built on a thread of its own, with its own database connection: it must
# see committed rows, as on a server.
@pytest.mark.django_db(transaction=True)
def test_the_first_check_starts_building_the_filter_index(client, shared_cache):
    assert not shared_index_ready()
    response = client.get(reverse("archive:healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["filter_index"] == {"ok": False, "state": "building"}
    _wait_for_index()
    assert client.get(reverse("archive:healthz")).status_code == 200


def test_an_unreachable_cache_is_a_503_that_names_no_address(client, settings, shared_cache):
    shared_index()
    secret = "hunter2-not-for-monitors"
    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            # Nothing listens on port 1; the password must not reach the answer.
            "LOCATION": f"redis://:{secret}@127.0.0.1:1/0",
        },
    }
    caches.close_all()
    response = client.get(reverse("archive:healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["shared_cache"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True
    assert secret not in response.content.decode()
    assert "127.0.0.1" not in response.content.decode()


def test_the_database_queue_reports_how_long_its_oldest_task_waited(client, settings, shared_cache):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    shared_index()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    waiting = DBTaskResult.objects.create(
        task_path="fanfold.subscriptions.tasks.nothing",
        args_kwargs={"args": [], "kwargs": {}},
        priority=0,
        queue_name="default",
        backend_name="default",
    )
    # Queued five minutes ago, and no worker took it since.
    DBTaskResult.objects.filter(pk=waiting.pk).update(
        enqueued_at=timezone.now() - timezone.timedelta(minutes=5)
    )
    check = client.get(reverse("archive:healthz")).json()["checks"]["task_queue"]
    assert check["ok"] is True
    assert check["oldest_waiting_seconds"] >= 300


def test_health_checks_are_not_rate_limited(client, enable_ratelimit):
    shared_index()
    statuses = {client.get(reverse("archive:healthz")).status_code for _ in range(50)}
    assert statuses == {200}
