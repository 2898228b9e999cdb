"""Filter semantics, visibility and freshness, with and without the shared index."""

import pytest
from django.http import QueryDict

from fanfold.conftest import tag
from fanfold.filters.query import WorkFilter
from fanfold.filters.selectors import filter_works
from fanfold.filters.services import mark_changed
from fanfold.tags.models import Tag
from fanfold.works.models import Work
from fanfold.works.services import work_delete, work_post
from fanfold.works.staff_services import work_set_hidden

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[True, False], ids=["shared-index", "per-request"])
def use_index(request):
    return request.param


def run(qs: str, viewer=None, use_index=True, **kwargs):
    f = WorkFilter.from_params(QueryDict(qs))
    return filter_works(f, viewer, use_index=use_index, **kwargs)


def ids(result) -> set[int]:
    return set(result.work_ids)


def facet(result, kind: str) -> dict[str, int]:
    return {e.name: e.count for e in result.facets[kind]}


@pytest.fixture
def wrangled(make_work):
    """Buffy (canonical) with the synonym BtVS under the metatag Buffyverse; Angel too."""
    a = make_work(title="Alpha", fandoms=("BtVS",))
    b = make_work(title="Beta", fandoms=("Buffy the Vampire Slayer",))
    c = make_work(title="Gamma", fandoms=("Angel",), freeforms=["Fluff"])
    d = make_work(title="Delta", fandoms=("Lighthouse Keepers",), freeforms=["Fluff"])
    buffy = Tag.objects.get(name="Buffy the Vampire Slayer")
    verse = Tag.objects.create(name="Buffyverse", type="fandom", canonical=True)
    Tag.objects.filter(pk=buffy.pk).update(canonical=True)
    Tag.objects.filter(name="BtVS").update(merger=buffy)
    buffy.parents.add(verse)
    Tag.objects.get(name="Angel").parents.add(verse)
    mark_changed(tag_ids=[buffy.pk, verse.pk, tag("BtVS").pk, tag("Angel").pk])
    return a, b, c, d


def test_include_follows_synonyms_and_metatags(wrangled, use_index):
    a, b, c, _d = wrangled
    assert ids(run("tag=Buffy the Vampire Slayer", use_index=use_index)) == {a.pk, b.pk}
    assert ids(run("tag=btvs", use_index=use_index)) == {a.pk, b.pk}
    assert ids(run("tag=Buffyverse", use_index=use_index)) == {a.pk, b.pk, c.pk}
    both = run(f"tag=Buffyverse&tag={tag('Fluff').pk}", use_index=use_index)
    assert ids(both) == {c.pk}


def test_exclude_removes_any_match(wrangled, use_index):
    _a, _b, c, d = wrangled
    assert ids(run("exclude=BtVS", use_index=use_index)) == {c.pk, d.pk}
    assert ids(run("exclude=Buffyverse&exclude=Fluff", use_index=use_index)) == set()
    result = run("exclude=Fluff", use_index=use_index)
    assert facet(result, "freeform") == {"Fluff": 0}


def test_unknown_included_tag_matches_nothing(wrangled):
    result = run("tag=No Such Tag")
    assert result.total == 0
    assert "No tag is called" in result.errors[0]


def test_facet_counts_equal_the_results(wrangled, use_index):
    everything = run("", use_index=use_index)
    assert everything.total == 4
    assert facet(everything, "fandom")["Buffyverse"] == 3
    for kind, entries in everything.facets.items():
        for entry in entries:
            narrowed = run(f"tag={entry.tag_id}", use_index=use_index)
            assert narrowed.total == entry.count, (kind, entry.name)


def test_crossovers(make_work, use_index):
    one = make_work(fandoms=("Lighthouse Keepers",))
    two = make_work(fandoms=("Lighthouse Keepers", "Sea Shanties"))
    assert ids(run("crossovers=only", use_index=use_index)) == {two.pk}
    assert ids(run("crossovers=exclude", use_index=use_index)) == {one.pk}


def test_ranges_completion_and_language(make_work, use_index):
    short = make_work(body="<p>" + "word " * 50 + "</p>", expected_chapters=1)
    long = make_work(body="<p>" + "word " * 500 + "</p>", chapters=2, language="de")
    assert ids(run("words_min=100", use_index=use_index)) == {long.pk}
    assert ids(run("words_max=100", use_index=use_index)) == {short.pk}
    assert ids(run("complete=yes", use_index=use_index)) == {short.pk}
    assert ids(run("complete=no", use_index=use_index)) == {long.pk}
    assert ids(run("single_chapter=1", use_index=use_index)) == {short.pk}
    assert ids(run("language=de", use_index=use_index)) == {long.pk}
    assert ids(run("updated_within=1", use_index=use_index)) == {short.pk, long.pk}
    assert ids(run("updated_to=2000-01-01", use_index=use_index)) == set()


def test_rating_checkboxes_match_any_ticked(make_work, use_index):
    g = make_work(rating="General Audiences")
    e = make_work(rating="Explicit")
    make_work(rating="Mature")
    qs = f"rating={tag('General Audiences').pk}&rating={tag('Explicit').pk}"
    assert ids(run(qs, use_index=use_index)) == {g.pk, e.pk}


def test_sorting_with_a_stable_tiebreak(make_work, use_index):
    works = [make_work(title=t) for t in ("b", "a", "c")]
    Work.objects.filter(pk=works[0].pk).update(kudos_count=5)
    mark_changed(work_ids=[works[0].pk])
    kudos = run("sort=kudos", use_index=use_index).work_ids
    assert kudos == [works[0].pk, works[2].pk, works[1].pk]
    assert run("sort=title", use_index=use_index).work_ids == [
        works[1].pk,
        works[0].pk,
        works[2].pk,
    ]


def test_paging_and_the_depth_cap(make_work):
    made = [make_work() for _ in range(23)]
    first, second = run(""), run("page=2")
    assert len(first.work_ids) == 20 and len(second.work_ids) == 3
    assert set(first.work_ids) | set(second.work_ids) == {w.pk for w in made}
    assert first.num_pages == 2 and first.has_next
    deep = run("page=999999")
    assert deep.work_ids == [] and deep.total == 23
    assert "first 5,000 results" in deep.errors[0]


def test_drafts_hidden_and_members_only(make_work, make_user, use_index, moderator):
    public = make_work(freeforms=["Shared"])
    make_work(post=False, freeforms=["Shared"])
    members = make_work(restricted=True, freeforms=["Shared"])
    hidden = make_work(freeforms=["Shared"])
    work_set_hidden(work=hidden, hidden=True, actor=moderator)
    guest = run("", use_index=use_index)
    assert ids(guest) == {public.pk}
    assert facet(guest, "freeform") == {"Shared": 1}
    member = run("", viewer=make_user(), use_index=use_index)
    assert ids(member) == {public.pk, members.pk}
    assert facet(member, "freeform") == {"Shared": 2}


def test_viewer_exclusions(make_work):
    muted, kept = make_work(), make_work(freeforms=["Spoilers"])
    other = make_work()
    assert ids(run("", exclude_work_ids=[muted.pk])) == {kept.pk, other.pk}
    assert ids(run("", always_exclude_tags=[tag("Spoilers").pk])) == {muted.pk, other.pk}


def test_changes_show_on_the_next_query(make_work, make_user, moderator):
    author = make_user()
    first = make_work(author)
    assert ids(run("")) == {first.pk}  # builds the shared index
    draft = make_work(author, post=False, freeforms=["Late"])
    assert ids(run("")) == {first.pk}
    work_post(work=draft, editor=author)
    assert ids(run("tag=Late")) == {draft.pk}
    work_set_hidden(work=first, hidden=True, actor=moderator)
    assert ids(run("")) == {draft.pk}
    work_delete(work=draft, editor=author)
    assert run("").total == 0


def test_tag_wrangling_shows_on_the_next_query(make_work):
    a = make_work(fandoms=("Sea Shanties",))
    b = make_work(fandoms=("Shanties",))
    assert run("tag=Sea Shanties").total == 1
    Tag.objects.filter(name="Shanties").update(merger=tag("Sea Shanties"))
    mark_changed(tag_ids=[tag("Shanties").pk])
    assert ids(run("tag=Sea Shanties")) == {a.pk, b.pk}
    assert facet(run(""), "fandom") == {"Sea Shanties": 2}


def test_full_text_search(make_work, use_index):
    dragons = make_work(title="Here Be Dragons", body="<p>Scales and fire.</p>")
    make_work(title="Quiet Garden", body="<p>Roses.</p>")
    assert ids(run("q=dragons", use_index=use_index)) == {dragons.pk}
    assert ids(run("q=fire&q_body=1", use_index=use_index)) == {dragons.pk}
    assert ids(run("q=fire -scales&q_body=1", use_index=use_index)) == set()
    # Query syntax characters are words, never an error page.
    assert ids(run('q="zebra" OR (', use_index=use_index)) == set()


def test_best_match_puts_title_hits_first(make_work, use_index):
    in_body = make_work(title="Harbour Lights", body="<p>A story about dragons.</p>")
    in_title = make_work(title="Dragons", body="<p>Nothing else here.</p>")
    result = run("q=dragons&q_body=1", use_index=use_index)
    assert result.work_ids == [in_title.pk, in_body.pk]
    by_date = run("q=dragons&q_body=1&sort=updated", use_index=use_index)
    assert by_date.work_ids == [in_title.pk, in_body.pk]  # the newer one first


def test_big_results_page_through_the_presorted_order(make_work, monkeypatch):
    from fanfold.filters import engine

    works = [make_work(title=t) for t in ("delta", "alpha", "echo", "bravo", "charlie")]
    for kudos, work in zip((3, 9, 3, 0, 5), works, strict=True):
        Work.objects.filter(pk=work.pk).update(kudos_count=kudos)
    mark_changed(work_ids=[w.pk for w in works])
    expected = {s: run(f"sort={s}").work_ids for s in ("kudos", "title", "updated")}
    monkeypatch.setattr(engine, "PRESORTED_ABOVE", 0)
    for sort, ids_in_order in expected.items():
        assert run(f"sort={sort}").work_ids == ids_in_order
    # A change after the order was computed still ranks exactly.
    Work.objects.filter(pk=works[3].pk).update(kudos_count=100)
    mark_changed(work_ids=[works[3].pk])
    assert run("sort=kudos").work_ids[:2] == [works[3].pk, works[1].pk]
    monkeypatch.setattr(engine, "PRESORTED_ABOVE", 10**9)
    assert run("sort=kudos").work_ids[:2] == [works[3].pk, works[1].pk]


def test_walked_facets_equal_gathered_ones(make_work, monkeypatch):
    from fanfold.filters import engine

    for n in range(12):
        make_work(fandoms=(f"Fandom {n % 4}",), freeforms=[f"Free {k}" for k in range(n % 5)])
    run("")  # build the index, then add works and tags it has not sorted yet
    make_work(fandoms=("Fandom 9",), freeforms=["Brand New", "Free 3"])
    make_work(fandoms=("Fandom 9",), freeforms=["Brand New"])
    gathered = run("exclude=Free 1")
    monkeypatch.setattr(engine, "GATHER_BELOW", 0)
    walked = run("exclude=Free 1")
    assert walked.facets == gathered.facets
    assert facet(walked, "freeform")["Brand New"] == 2
    everything = run("facets=all")
    assert len(everything.facets["freeform"]) == 5  # Free 0-3 and Brand New


def test_an_index_that_missed_pruned_changes_rebuilds(make_user, make_work):
    """A process idle past the change log's retention must not skip what it never read."""
    import datetime as dt

    from fanfold.filters.models import FilterChange
    from fanfold.filters.query import WorkFilter
    from fanfold.filters.selectors import filter_works, shared_index
    from fanfold.filters.services import filter_changes_prune

    make_work(make_user(), title="First", freeforms=["Tide"])
    assert filter_works(WorkFilter.from_params({"tag": ["Tide"]}), None).total == 1
    index = shared_index()
    seen = index.last_change
    make_work(make_user(), title="Second", freeforms=["Tide"])
    make_work(make_user(), title="Third", freeforms=["Tide"])
    # Age and prune every row but the newest, as hourly housekeeping would a day later.
    FilterChange.objects.update(created_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    assert filter_changes_prune(older_than=dt.timedelta(days=1)) > 0
    assert not FilterChange.objects.filter(id__lte=seen + 1).exists()
    assert filter_works(WorkFilter.from_params({"tag": ["Tide"]}), None).total == 3
