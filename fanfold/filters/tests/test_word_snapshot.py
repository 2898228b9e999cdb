"""Searching from the host's snapshot: a worker maps the word index the builder wrote,
builds nothing, and sees every change since through the change log."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings as django_settings
from django.http import QueryDict

from fanfold.accounts.models import User
from fanfold.conftest import tag
from fanfold.filters import selectors, snapshot
from fanfold.filters.bitmaps import SnapshotBitmaps
from fanfold.filters.index import FilterIndex
from fanfold.filters.query import WorkFilter
from fanfold.filters.selectors import filter_works
from fanfold.filters.terms import Terms
from fanfold.filters.word_query import parse
from fanfold.filters.words import WordIndex
from fanfold.works.fields import WorkFields
from fanfold.works.services import work_update
from fanfold.works.staff_services import work_set_hidden

pytestmark = pytest.mark.django_db

REPO = Path(django_settings.BASE_DIR)
# Every query shape the search syntax has, for comparing a mapped and a built index.
QUERIES = [
    "dragons",
    "DRAGONS sea",
    "drag*",
    "dragons -sea",
    "-sea",
    "dragons -sea*",
    "sea* -drag*",
    "quillmaster",
    "monsters",
    "harbour",
    "zoë café",
    "nothing-here",
]


def found(qs: str, viewer=None) -> set[int]:
    return set(filter_works(WorkFilter.from_params(QueryDict(qs)), viewer).work_ids)


@pytest.fixture
def root(settings) -> Path:
    return Path(settings.FILTER_INDEX_DIR)


def refuse_word_builds(monkeypatch) -> None:
    """From here on, any attempt to build a word index (instead of mapping one) fails."""

    def refuse(cls, index):
        raise AssertionError("a word index was built in this process")

    monkeypatch.setattr(WordIndex, "build", classmethod(refuse))


@pytest.fixture
def archive(make_work, make_user):
    return [
        make_work(make_user("quillmaster"), title="Here Be Dragons", summary="A tale of the sea."),
        make_work(title="Quiet Garden", freeforms=["Sea Monsters"]),
        make_work(title="Dragons of the Mountain", summary="Zoë's café by the harbour."),
        make_work(title="The Sea Shanty", freeforms=["Harbour Life"]),
    ]


def test_the_sorted_word_table_finds_words_and_prefixes():
    words = sorted(["cafe", "café", "drag", "dragon", "dragons", "draw", "zoë", "a"])
    terms = Terms.from_sorted(words)
    assert [terms[i] for i in range(len(terms))] == words
    assert terms.find("dragon") == words.index("dragon")
    assert terms.find("dra") is None and terms.find("zzz") is None
    assert [terms[i] for i in terms.prefixed("drag")] == ["drag", "dragon", "dragons"]
    assert [terms[i] for i in terms.prefixed("caf")] == ["cafe", "café"]
    assert list(terms.prefixed("x")) == []
    empty = Terms.from_sorted([])
    assert len(empty) == 0 and empty.find("a") is None and list(empty.prefixed("a")) == []


def test_a_mapped_word_index_answers_as_a_fresh_build(archive, root):
    snapshot.build_snapshot(root)
    mapped = snapshot.open_current(root)
    built = FilterIndex.build(words=True)
    assert mapped is not None and mapped.words is not None
    # The bitmaps are read from the shared files, not copied into this process.
    assert all(isinstance(b, SnapshotBitmaps) for b in mapped.words.base.values())
    assert isinstance(mapped.words.terms.blob, np.memmap)
    for text in QUERIES:
        a = mapped.words.match(mapped, parse(text), {})
        b = built.word_index().match(built, parse(text), {})
        assert a.bitmap == b.bitmap, text
        positions = np.arange(built.n, dtype=np.uint32)
        assert list(a.scores(positions, mapped.n)) == list(b.scores(positions, built.n)), text
    mapped.close()


def test_a_new_worker_searches_without_building_anything(archive, root, monkeypatch):
    dragons, _, mountain, _ = archive
    snapshot.build_snapshot(root)
    selectors.reset_shared_index()  # as a worker that starts now
    refuse_word_builds(monkeypatch)
    assert found("q=dragons") == {dragons.pk, mountain.pk}
    assert found("q=drag* -sea") == {mountain.pk}
    assert found("q=harbour") == {mountain.pk, archive[3].pk}
    assert found("q=quillmaster") == {dragons.pk}


def _searcher(root: Path, queries: list[str]) -> subprocess.Popen:
    """Another process that maps the snapshot and searches it, refusing to build."""
    code = textwrap.dedent(
        f"""
        import os
        import django
        django.setup()
        from pathlib import Path
        from fanfold.filters import snapshot, word_query, words
        def refuse(cls, index):
            raise AssertionError("built a word index")
        words.WordIndex.build = classmethod(refuse)
        index = snapshot.open_current(Path({str(root)!r}))
        for text in {queries!r}:
            match = index.word_index().match(index, word_query.parse(text), {{}})
            print(" ".join(str(int(index.ids[p])) for p in match.bitmap), flush=True)
        maps = open(f"/proc/{{os.getpid()}}/maps").read()
        print(sum(1 for line in maps.splitlines() if "/words_" in line), flush=True)
        """
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "fanfold.settings_test"}
    return subprocess.Popen(
        [sys.executable, "-c", code], cwd=REPO, env=env, stdout=subprocess.PIPE, text=True
    )


def test_another_process_maps_the_word_index_the_builder_wrote(archive, root):
    dragons, garden, mountain, shanty = archive
    snapshot.build_snapshot(root)
    queries = ["dragons", "sea -drag*", "monsters"]
    out, _ = _searcher(root, queries).communicate(timeout=60)
    lines = out.splitlines()
    assert [{int(x) for x in line.split()} for line in lines[:3]] == [
        {dragons.pk, mountain.pk},
        {garden.pk, shanty.pk},
        {garden.pk},
    ]
    assert int(lines[3]) >= 3  # the word files are mapped, not read into memory


def test_edits_and_new_works_after_the_snapshot_show_in_the_next_search(
    archive, make_work, root, monkeypatch
):
    dragons = archive[0]
    name = snapshot.build_snapshot(root).name
    selectors.reset_shared_index()
    refuse_word_builds(monkeypatch)
    assert found("q=dragons") == {dragons.pk, archive[2].pk}
    newer = make_work(title="Dragons Reborn", freeforms=["Brand New Tag"])
    assert found("q=dragons") == {dragons.pk, archive[2].pk, newer.pk}
    assert found("q=reborn") == {newer.pk}
    assert found("q=brand") == {newer.pk}
    data = WorkFields(
        title="Lighthouse Hours",
        rating=tag("General Audiences"),
        warnings=[tag("No Archive Warnings Apply")],
        fandoms=["Lighthouse Keepers"],
        summary="Kelpies, mostly.",
    )
    writer = User.objects.get(username="quillmaster")
    work_update(work=dragons, editor=writer, data=data)
    assert dragons.pk not in found("q=dragons")
    assert found("q=lighthouse hours") == {dragons.pk}
    assert found("q=kelpie*") == {dragons.pk}
    assert found("q=hours -kelpies") == set()
    # All of it on top of the same snapshot, which no one rebuilt.
    assert snapshot.current_name(root) == name


def test_hidden_draft_and_members_only_words_never_match_for_guests(
    make_work, make_user, moderator, root
):
    public = make_work(title="Open Lighthouse")
    draft = make_work(title="Draft Lighthouse Xylograph", post=False)
    hidden = make_work(title="Hidden Lighthouse Quagmire")
    work_set_hidden(work=hidden, hidden=True, actor=moderator, reason="spam")
    members = make_work(title="Members Lighthouse Obelisk", restricted=True)
    snapshot.build_snapshot(root)
    index = snapshot.open_current(root)
    # Drafts' and hidden works' words are not even written to the shared files.
    assert index.words.lookup("xylograph") is None
    assert index.words.lookup("quagmire") is None
    index.close()
    selectors.reset_shared_index()
    member = make_user()
    later_members = make_work(title="Later Lighthouse Obelisk", restricted=True)
    later_draft = make_work(title="Later Draft Lighthouse", post=False)
    work_set_hidden(work=public, hidden=True, actor=moderator, reason="spam")
    for query in ("q=lighthouse", "q=light*", "q=obelisk", "q=xylograph", "q=quagmire", "q=later"):
        assert found(query) == set(), query
    assert found("q=lighthouse", member) == {members.pk, later_members.pk}
    for work in (draft, hidden, later_draft, public):
        assert work.pk not in found("q=lighthouse", member)


def test_tag_words_do_not_push_the_facet_bitmaps_out_of_a_workers_cache(archive, root):
    snapshot.build_snapshot(root)
    selectors.reset_shared_index()
    index = selectors.current_index()
    assert found("q=monsters") == {archive[1].pk}
    # The word's union is kept for the next search; the tag's own bitmap was read
    # without taking a place in the LRU the facet counts use.
    assert tag("Sea Monsters").pk not in index.tag_bitmaps._cache
    assert index.words.tag_cache
