"""The database fallback (no snapshot ready) answers as the index does."""

import pytest
from django.http import QueryDict

from fanfold.conftest import tag
from fanfold.filters import fallback, selectors
from fanfold.filters.query import WorkFilter
from fanfold.filters.selectors import filter_works, tag_work_counts
from fanfold.filters.services import mark_changed
from fanfold.tags.models import Tag
from fanfold.works.models import Work
from fanfold.works.staff_services import work_set_hidden

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(make_work, make_user, moderator):
    """Works that differ in every way a filter looks at, with wrangled tags."""
    made = [
        make_work(title="Alpha", fandoms=("BtVS",), freeforms=["Fluff"]),
        make_work(
            title="beta",
            fandoms=("Buffy the Vampire Slayer", "Angel"),
            rating="Explicit",
            warnings=("Major Character Death",),
            freeforms=["Angst", "Fluff"],
        ),
        make_work(title="Gamma", fandoms=("Angel",), rating="Mature", freeforms=["Angst"]),
        make_work(
            title="delta",
            fandoms=("Lighthouse Keepers",),
            body="<p>" + "word " * 400 + "</p>",
            chapters=2,
            language="de",
        ),
        make_work(title="Epsilon", fandoms=("Lighthouse Keepers", "Sea Shanties")),
        make_work(title="Zeta", restricted=True, freeforms=["Fluff"]),
    ]
    make_work(title="Draft", post=False, freeforms=["Fluff"])
    hidden = make_work(title="Hidden", freeforms=["Fluff"])
    work_set_hidden(work=hidden, hidden=True, actor=moderator)
    buffy = Tag.objects.get(name="Buffy the Vampire Slayer")
    verse = Tag.objects.create(name="Buffyverse", type="fandom", canonical=True)
    Tag.objects.filter(pk=buffy.pk).update(canonical=True)
    Tag.objects.filter(name="BtVS").update(merger=buffy)
    buffy.parents.add(verse)
    Tag.objects.get(name="Angel").parents.add(verse)
    for kudos, work in enumerate(made):
        Work.objects.filter(pk=work.pk).update(kudos_count=kudos * 3 % 7, hits=100 - kudos)
    mark_changed(
        tag_ids=[buffy.pk, verse.pk, tag("BtVS").pk, tag("Angel").pk],
        work_ids=[w.pk for w in made],
    )
    return made


def queries() -> list[str]:
    return [
        "",
        "tag=Buffyverse",
        "tag=BtVS",
        "tag=Buffyverse&tag=Angst",
        "exclude=Fluff",
        "exclude=Buffyverse&sort=title",
        f"rating={tag('Explicit').pk}&rating={tag('Mature').pk}",
        f"warning={tag('Major Character Death').pk}",
        "crossovers=only",
        "crossovers=exclude&sort=kudos",
        "complete=no",
        "words_min=100",
        "language=de",
        "single_chapter=1&sort=hits",
        "updated_within=1&sort=posted",
        "sort=creator",
        "sort=words&facets=all",
        "q=alpha",
        "tag=No Such Tag",
        "page=2",
    ]


def both(qs: str, viewer, monkeypatch) -> tuple:
    f = WorkFilter.from_params(QueryDict(qs))
    indexed = filter_works(f, viewer)
    with monkeypatch.context() as m:
        m.setattr(selectors, "current_index", lambda: None)
        fell_back = filter_works(WorkFilter.from_params(QueryDict(qs)), viewer)
    return indexed, fell_back


def summary(result) -> tuple:
    facets = {
        kind: [(e.tag_id, e.count, e.included, e.excluded) for e in entries]
        for kind, entries in result.facets.items()
    }
    return result.total, result.work_ids, facets, result.errors


@pytest.mark.parametrize("member", [False, True], ids=["guest", "member"])
def test_the_fallback_equals_the_index(archive, make_user, monkeypatch, member):
    viewer = make_user() if member else None
    for qs in queries():
        indexed, fell_back = both(qs, viewer, monkeypatch)
        assert summary(fell_back) == summary(indexed), qs


def test_viewer_exclusions_and_scopes_agree(archive, monkeypatch):
    f = WorkFilter()
    kwargs = {
        "exclude_work_ids": [archive[0].pk],
        "within_work_ids": [w.pk for w in archive[:4]],
        "always_exclude_tags": [tag("Angst").pk],
    }
    indexed = filter_works(f, None, **kwargs)
    monkeypatch.setattr(selectors, "current_index", lambda: None)
    assert summary(filter_works(f, None, **kwargs)) == summary(indexed)


def test_tag_counts_agree(archive, make_user, monkeypatch):
    tags = [t.pk for t in Tag.objects.all()]
    for viewer in (None, make_user()):
        indexed = tag_work_counts(tags, viewer, exclude_work_ids=[archive[1].pk])
        with monkeypatch.context() as m:
            m.setattr(selectors, "current_index", lambda: None)
            assert tag_work_counts(tags, viewer, exclude_work_ids=[archive[1].pk]) == indexed


def test_a_broad_listing_pages_in_sql_and_says_counts_are_coming(archive, monkeypatch):
    monkeypatch.setattr(fallback, "EXACT_UP_TO", 2)
    for qs in ("sort=kudos", "sort=hits", "tag=Fluff&sort=hits", "exclude=Angst&sort=kudos"):
        indexed, fell_back = both(qs, None, monkeypatch)
        assert (fell_back.total, fell_back.work_ids) == (indexed.total, indexed.work_ids), qs
        if fell_back.total > 2:
            # Only an excluded tag stays listed (so it can be un-ticked), uncounted.
            assert all(e.excluded for entries in fell_back.facets.values() for e in entries)
            assert any("Tag counts" in e for e in fell_back.errors)
        else:
            assert summary(fell_back) == summary(indexed)


def test_no_snapshot_and_no_builder_still_answers(archive, settings):
    """`external` mode before anyone ran the command: listings come from the database."""
    settings.FILTER_INDEX_BUILD = "external"
    result = filter_works(WorkFilter.from_params(QueryDict("tag=Fluff")), None)
    assert set(result.work_ids) == {archive[0].pk, archive[1].pk}
    assert not selectors.shared_index_ready()


BROAD = (
    "",
    "sort=kudos",
    "sort=hits",
    "sort=posted",
    "sort=words",
    "sort=title",
    "sort=creator",
    "exclude=Angst&sort=kudos",
    "complete=no&sort=hits",
)


@pytest.mark.parametrize("member", [False, True], ids=["guest", "member"])
def test_a_listing_past_the_count_says_more_than_and_keeps_the_index_order(
    archive, make_user, monkeypatch, tiny_fallback_limits, member
):
    viewer = make_user() if member else None
    for qs in BROAD:
        indexed, fell_back = both(qs, viewer, monkeypatch)
        assert indexed.total > 2, qs
        assert (fell_back.total, fell_back.total_is_lower_bound) == (2, True), qs
        assert fell_back.work_ids == indexed.work_ids, qs
        assert not indexed.total_is_lower_bound


def test_the_walk_gives_up_on_a_sparse_filter_and_the_database_sorts(
    archive, monkeypatch, tiny_fallback_limits
):
    # Two works read per step and at most two read in all: never enough for a page.
    monkeypatch.setattr(fallback, "WALK_BUDGET", 2)
    for qs in ("sort=kudos", "exclude=Angst&sort=hits"):
        indexed, fell_back = both(qs, None, monkeypatch)
        assert fell_back.work_ids == indexed.work_ids, qs


@pytest.mark.parametrize("sort", ["hits", "title"])
def test_the_walk_reads_the_archive_in_steps_not_by_sorting_the_candidates(
    archive, monkeypatch, tiny_fallback_limits, sort
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(selectors, "current_index", lambda: None)
    with CaptureQueriesContext(connection) as queries:
        result = filter_works(WorkFilter.from_params(QueryDict(f"sort={sort}")), None)
    sorted_reads = [q["sql"] for q in queries if "ORDER BY" in q["sql"]]
    # Only the archive-wide order, a step at a time (LIMIT), never the filtered works.
    assert sorted_reads
    assert all("LIMIT 2" in sql and "restricted" not in sql for sql in sorted_reads)
    assert len(result.work_ids) == 5


def test_the_page_says_more_than(client, archive, monkeypatch, tiny_fallback_limits):
    monkeypatch.setattr(selectors, "current_index", lambda: None)
    html = client.get("/works?sort=kudos").content.decode()
    assert "1–5 of more than 2 works" in html
    assert "Tag counts will show" in html
