"""The Redis configuration (REDIS_URL: both caches in Redis), against the real server on
127.0.0.1:6379. Skipped when Redis is not running, except in CI, where it fails."""

from __future__ import annotations

import os
import socket
import uuid

import pytest
from django.urls import reverse

from fanfold.comments.models import Comment
from fanfold.works.chapter_services import chapter_update
from fanfold.works.fields import ChapterFields

REDIS = ("127.0.0.1", 6379)
REDIS_URL = f"redis://{REDIS[0]}:{REDIS[1]}/0"


def redis_or_skip() -> None:
    try:
        socket.create_connection(REDIS, timeout=2).close()
    except OSError as e:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"Redis is not reachable on {REDIS[0]}:{REDIS[1]} ({e})")


@pytest.fixture
def redis_caches(settings):
    """Both caches in Redis as REDIS_URL configures them, under a prefix of this test's
    own (other processes share the server: nothing here flushes it)."""
    redis_or_skip()
    import redis

    prefix = f"fanfold-test-{uuid.uuid4().hex}"
    backend = "django.core.cache.backends.redis.RedisCache"
    settings.CACHES = {
        alias: {"BACKEND": backend, "LOCATION": REDIS_URL, "KEY_PREFIX": prefix}
        for alias in ("default", "shared")
    }
    server = redis.Redis.from_url(REDIS_URL)
    yield server
    keys = list(server.scan_iter(match=f"{prefix}:*"))
    if keys:
        server.delete(*keys)


def test_guest_pages_are_cached_in_redis_and_edits_show_at_once(
    client, make_work, redis_caches, settings
):
    work = make_work()
    assert client.get(work.get_absolute_url())["X-Page-Cache"] == "miss"
    assert client.get(work.get_absolute_url())["X-Page-Cache"] == "hit"
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    assert list(redis_caches.scan_iter(match=f"{prefix}:*")), "the page is not in Redis"
    chapter_update(
        chapter=work.chapters.get(),
        editor=work.creators[0].user,
        data=ChapterFields(body="<p>The tide went out.</p>"),
    )
    response = client.get(work.get_absolute_url())
    assert "The tide went out." in response.text and response["X-Page-Cache"] == "miss"


def test_rate_limits_count_in_redis(client, make_work, redis_caches, settings, stamped):
    """Every web worker must see the same count: the counters live in the shared cache."""
    settings.RATELIMIT_ENABLE = True
    settings.COMMENT_RATE_PER_IP = "2/m"
    work = make_work()
    chapter = work.chapters.get()
    url = reverse("comments:new", args=[work.pk])
    form = stamped({"chapter": chapter.pk, "guest_name": "Gull", "guest_email": "g@example.org"})
    statuses = [client.post(url, {**form, "body": f"note {n}"}).status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    assert Comment.objects.count() == 2
    prefix = settings.CACHES["shared"]["KEY_PREFIX"]
    assert any(b"rl:" in key for key in redis_caches.scan_iter(match=f"{prefix}:*"))
