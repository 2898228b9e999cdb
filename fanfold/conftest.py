"""Shared test factories: small functions over the real services, so tests build data
the same way the site does."""

from __future__ import annotations

import itertools
import time
from types import SimpleNamespace

import django_ratelimit.core
import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.utils import translation

from fanfold.accounts.models import User
from fanfold.accounts.services import user_create
from fanfold.archive.forms import form_stamp
from fanfold.archive.models import SiteSettings
from fanfold.archive.pending import view_writes
from fanfold.staff.services import member_roles_set
from fanfold.tags.models import Tag
from fanfold.works.chapter_services import chapter_add
from fanfold.works.fields import ChapterFields, WorkFields
from fanfold.works.models import Work
from fanfold.works.services import work_create

_counter = itertools.count(1)


def tag(name: str) -> Tag:
    return Tag.objects.named(name).get()


@pytest.fixture
def make_user(db):
    def make(username: str | None = None, **kwargs) -> User:
        username = username or f"reader{next(_counter)}"
        roles = kwargs.pop("roles", ())
        user = user_create(
            username=username,
            email=kwargs.pop("email", f"{username}@example.org"),
            password=kwargs.pop("password", "a-long-passphrase"),
            **kwargs,
        )
        if roles:
            member_roles_set(actor=None, member=user, roles=roles)
        return user

    return make


@pytest.fixture
def site_settings(db):
    """Change site settings the way a save does (new version, cached copy dropped)."""

    def change(**values) -> SiteSettings:
        row = SiteSettings.objects.get_or_create(pk=1)[0]
        for name, value in values.items():
            setattr(row, name, value)
        row.save()
        return row

    return change


@pytest.fixture
def stamped():
    """POST data for a public form (fanfold.archive.forms) as a person sends it: the
    honeypot left empty and the form shown a minute ago."""

    def add(data: dict) -> dict:
        return {"website": "", "form_stamp": form_stamp(time.time() - 60), **data}

    return add


@pytest.fixture
def make_staff(db, make_user):
    """A member holding the given staff roles (groups synced after migrate)."""

    def make(*roles: str, username: str | None = None) -> User:
        return make_user(username, roles=roles)

    return make


@pytest.fixture
def moderator(make_staff):
    return make_staff("moderator")


@pytest.fixture
def make_work(db, make_user):
    def make(
        creator: User | None = None,
        *,
        title: str = "A Quiet Harbour",
        rating: str = "General Audiences",
        warnings: tuple[str, ...] = ("No Archive Warnings Apply",),
        fandoms: tuple[str, ...] = ("Lighthouse Keepers",),
        chapters: int = 1,
        post: bool = True,
        body: str = "<p>The tide came in slowly.</p>",
        **fields,
    ) -> Work:
        creator = creator or make_user()
        data = WorkFields(
            title=title,
            rating=tag(rating),
            warnings=[tag(w) for w in warnings],
            fandoms=list(fandoms),
            **fields,
        )
        work = work_create(
            creator=creator,
            data=data,
            chapter=ChapterFields(body=body, title="Beginnings"),
            post=post,
        )
        for number in range(2, chapters + 1):
            chapter_add(
                work=work,
                editor=creator,
                data=ChapterFields(
                    body=f"<p>Chapter {number} text goes on.</p>", title=f"Part {number}"
                ),
                post=True,
            )
        work.refresh_from_db()
        return work

    return make


@pytest.fixture
def shared_cache(db):
    """The database cache that rate limits count in. Its table is not a model, so the
    test database lacks it; it is created inside the test's transaction, and emptied so
    no earlier test's counts leak in."""
    call_command("createcachetable", verbosity=0)
    cache = caches["shared"]
    cache.clear()
    yield cache
    cache.clear()


@pytest.fixture(autouse=True)
def _ratelimit_clock(monkeypatch):
    # django-ratelimit counts in fixed windows (staggered per key); a test whose requests
    # straddle the end of one sees its count start again and flakes. Tests hold the
    # limiter's clock still, so "the eleventh attempt is refused" holds every run.
    frozen = int(time.time())
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: frozen))


@pytest.fixture
def enable_ratelimit(settings, shared_cache):
    settings.RATELIMIT_ENABLE = True
    return shared_cache


@pytest.fixture(autouse=True)
def _clear_caches(settings, tmp_path):
    from fanfold.filters.selectors import reset_shared_index

    # A snapshot of another test's (rolled back) database must never be read.
    settings.FILTER_INDEX_DIR = tmp_path / "filter-index"

    for alias in ("default",):
        caches[alias].clear()
    # Each test's database is rolled back afterwards, so the process-wide filter index
    # (which follows the change log forward only) must not outlive it.
    reset_shared_index()
    # Page-view writes a test left buffered belong to its rolled-back database.
    view_writes.clear()
    yield
    reset_shared_index()
    view_writes.clear()


@pytest.fixture
def one_listing_bucket(monkeypatch):
    """Listings are keyed by a ten-second time bucket too (fanfold.works.listing_cache):
    a slow machine must not cross into the next one between the requests a test
    compares, or a cached page reads as a miss."""
    from fanfold.works import listing_cache

    monkeypatch.setattr(listing_cache, "BUCKET_SECONDS", 10**9)


@pytest.fixture
def tiny_fallback_limits(monkeypatch):
    """The database fallback's limits (fanfold.filters.fallback), small enough for a
    test's handful of works: past one candidate a listing is broad, past two it stops
    counting ("more than 2"), and the walk reads two works at a time."""
    from fanfold.filters import fallback

    monkeypatch.setattr(fallback, "EXACT_UP_TO", 1)
    monkeypatch.setattr(fallback, "COUNT_UP_TO", 2)
    monkeypatch.setattr(fallback, "WALK_STEP", 2)
    monkeypatch.setattr(fallback, "WALK_STEP_MAX", 2)


@pytest.fixture
def flush_views():
    """Write what the page views so far buffered (hits, reading history), as the
    flusher thread would a couple of seconds later; for tests that read the tables."""
    return view_writes.flush


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A request (or a test) that activates German leaves it active in this thread;
    deactivate after every test so the next one starts in the default language."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Built downloads are named by work id and version; test databases reuse ids, so
    # each test keeps its files apart.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fixed_tags(request):
    """Transactional tests (threads, the live server) end by emptying every table, the
    seeded ratings, warnings and categories (and the default pages) included; put those
    back for the next one.
    (Django's serialized rollback would do it, but not alongside pytest-django's
    live_server fixture.)"""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        from fanfold.pages.defaults import create_default_pages
        from fanfold.pages.models import Page
        from fanfold.reports.models import ReportReason
        from fanfold.reports.seeds import seed_reasons
        from fanfold.tags.seeds import seed_fixed_tags

        seed_fixed_tags(Tag)
        create_default_pages(Page)
        seed_reasons(ReportReason)


def copy_works(work: Work, count: int) -> list[Work]:
    """`count` posted copies of `work` (same creators and tags, titles numbered), in
    three bulk inserts: for tests of pages that list works by id (bookmarks, history,
    query counts) and need many of them cheaply. The copies skip the services, so the
    filter index and search never hear of them: not for listing or filter tests."""
    from fanfold.works.models import Creatorship, WorkTag

    fields = [f for f in Work._meta.concrete_fields if not f.primary_key]
    values = {f.attname: getattr(work, f.attname) for f in fields}
    copies = Work.objects.bulk_create(
        Work(**{**values, "title": f"{work.title} {number}"}) for number in range(2, count + 2)
    )
    tag_ids = list(WorkTag.objects.filter(work=work).values_list("tag_id", flat=True))
    WorkTag.objects.bulk_create(WorkTag(work=c, tag_id=t) for c in copies for t in tag_ids)
    creators = list(Creatorship.objects.filter(work=work).values("pseud_id", "approved"))
    Creatorship.objects.bulk_create(Creatorship(work=c, **row) for c in copies for row in creators)
    return copies
