"""The search contract: the same answers on SQLite and PostgreSQL (CI runs the suite on
both), with and without the shared index."""

import pytest
from django.http import QueryDict

from fanfold.conftest import tag
from fanfold.filters.query import WorkFilter
from fanfold.filters.selectors import filter_works
from fanfold.filters.services import mark_changed
from fanfold.filters.tokens import words_of
from fanfold.filters.word_query import parse
from fanfold.tags.models import Tag
from fanfold.works.fields import WorkFields
from fanfold.works.models import Work
from fanfold.works.services import work_update
from fanfold.works.staff_services import work_set_hidden

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[True, False], ids=["shared-index", "per-request"])
def use_index(request):
    return request.param


def search(qs: str, viewer=None, use_index=True):
    f = WorkFilter.from_params(QueryDict(qs))
    return filter_works(f, viewer, use_index=use_index)


def found(qs: str, viewer=None, use_index=True) -> set[int]:
    return set(search(qs, viewer, use_index).work_ids)


def test_words_ignore_case_accents_and_punctuation():
    assert words_of("Café au LAIT, Harry/Draco's") == ["cafe", "au", "lait", "harry", "draco", "s"]
    query = parse('drag* -"big fish" -rain "one"')
    assert [(t.words, t.prefix, t.phrase, t.negative) for t in query.terms] == [
        (["drag"], True, False, False),
        (["big", "fish"], False, True, True),
        (["rain"], False, False, True),
        (["one"], False, False, False),
    ]
    assert parse("-alone").empty
    pairing = parse("harry/draco -ron/hermione")
    assert [(t.words, t.phrase, t.negative) for t in pairing.terms] == [
        (["harry"], False, False),
        (["draco"], False, False),
        (["ron", "hermione"], True, True),
    ]


def test_matches_title_summary_tags_and_creators(make_work, make_user, use_index):
    writer = make_user("quillmaster")
    a = make_work(writer, title="Here Be Dragons", summary="A tale of the sea.")
    b = make_work(title="Quiet Garden", freeforms=["Sea Monsters"])
    c = make_work(title="Lanterns", summary="Nothing much.")
    assert found("q=dragons", use_index=use_index) == {a.pk}
    assert found("q=sea", use_index=use_index) == {a.pk, b.pk}
    assert found("q=monsters", use_index=use_index) == {b.pk}
    assert found("q=quillmaster", use_index=use_index) == {a.pk}
    assert found("q=LANTERNS", use_index=use_index) == {c.pk}
    assert found("q=lantern*", use_index=use_index) == {c.pk}
    assert found("q=nothing-here", use_index=use_index) == set()


def test_all_words_must_match_and_minus_excludes(make_work, use_index):
    a = make_work(title="Dragons of the Sea")
    b = make_work(title="Dragons of the Mountain")
    make_work(title="The Sea Shanty")
    assert found("q=dragons sea", use_index=use_index) == {a.pk}
    assert found("q=dragons -sea", use_index=use_index) == {b.pk}
    assert found("q=dragons -sea*", use_index=use_index) == {b.pk}
    assert found("q=-sea", use_index=use_index) == set()
    # Syntax characters are words (or nothing), never an error page.
    assert found('q="zebra" OR (', use_index=use_index) == set()
    assert found('q=dragons "', use_index=use_index) == {a.pk, b.pk}


def test_quoted_phrases(make_work, use_index):
    a = make_work(title="The Sea Dragons")
    b = make_work(title="Dragons by the Sea")
    assert found('q="sea dragons"', use_index=use_index) == {a.pk}
    assert found('q=dragons -"sea dragons"', use_index=use_index) == {b.pk}


def test_chapter_text_only_when_asked(make_work, use_index):
    a = make_work(title="Here Be Dragons", body="<p>Scales and fire.</p>")
    make_work(title="Quiet Garden", body="<p>Roses &amp; thorns.</p>")
    assert found("q=fire", use_index=use_index) == set()
    assert found("q=fire&q_body=1", use_index=use_index) == {a.pk}
    assert found("q=dragons fire&q_body=1", use_index=use_index) == {a.pk}
    assert found("q=dragons -scales&q_body=1", use_index=use_index) == set()
    assert found("q=fir*&q_body=1", use_index=use_index) == {a.pk}
    assert found('q="scales and fire"&q_body=1', use_index=use_index) == {a.pk}
    assert found('q="and fire"', use_index=use_index) == set()


def test_drafts_hidden_and_members_only_never_leak(make_work, make_user, use_index, moderator):
    public = make_work(title="Open Lighthouse")
    draft = make_work(title="Draft Lighthouse", post=False, body="<p>lighthouse</p>")
    hidden = make_work(title="Hidden Lighthouse")
    work_set_hidden(work=hidden, hidden=True, actor=moderator, reason="spam")
    members = make_work(title="Members Lighthouse", restricted=True)
    member = make_user()
    for body in ("", "&q_body=1"):
        assert found(f"q=lighthouse{body}", use_index=use_index) == {public.pk}
        assert found(f"q=lighthouse{body}", member, use_index=use_index) == {
            public.pk,
            members.pk,
        }
    assert draft.pk not in found('q="draft lighthouse"', member, use_index=use_index)


def test_best_match_puts_title_above_summary_and_body(make_work, use_index):
    in_body = make_work(title="Harbour Lights", body="<p>A story about dragons.</p>")
    in_summary = make_work(title="Harbour Tales", summary="Dragons, again.")
    in_title = make_work(title="Dragons", summary="Nothing else here.")
    result = search("q=dragons&q_body=1", use_index=use_index)
    assert result.work_ids == [in_title.pk, in_summary.pk, in_body.pk]
    by_date = search("q=dragons&q_body=1&sort=updated", use_index=use_index)
    assert by_date.work_ids == [in_title.pk, in_summary.pk, in_body.pk]  # newest first


def test_rare_words_weigh_more(make_work, use_index):
    # Each of the two matches has one word in its title and the other in its summary;
    # only the rarer word in the title puts a work first. Without weighing by rarity
    # the scores would tie, and ties put the newer work (title_common) first.
    title_rare = make_work(title="Rare", summary="common")
    title_common = make_work(title="Common", summary="rare")
    for _ in range(3):
        make_work(title="Common")
    result = search("q=common rare", use_index=use_index)
    assert result.work_ids == [title_rare.pk, title_common.pk]
    assert search("q=common rare*", use_index=use_index).work_ids == result.work_ids


def test_fresh_after_edits_and_tag_renames(make_work, make_user, moderator):
    writer = make_user()
    work = make_work(writer, title="Old Name", freeforms=["Fluffy Stuff"])
    assert found("q=old") == {work.pk}
    data = WorkFields(
        title="New Name",
        rating=tag("General Audiences"),
        warnings=[tag("No Archive Warnings Apply")],
        fandoms=["Lighthouse Keepers"],
        freeforms=["Fluffy Stuff", "Brand New Tag"],
        summary="Freshly summarised.",
    )
    work_update(work=work, editor=writer, data=data)
    assert found("q=old") == set()
    assert found("q=new name") == {work.pk}
    assert found("q=brand") == {work.pk}
    assert found("q=summarised") == {work.pk}
    assert found('q="new name"') == {work.pk}
    fluffy = tag("Fluffy Stuff")
    Tag.objects.filter(pk=fluffy.pk).update(name="Soft Things")
    mark_changed(tag_ids=[fluffy.pk])
    assert found("q=fluffy") == set()
    assert found("q=soft") == {work.pk}
    work_set_hidden(work=work, hidden=True, actor=moderator, reason="spam")
    assert found("q=new") == set()
    Work.objects.filter(pk=work.pk).update(hidden_by_admin=False)
    mark_changed(work_ids=[work.pk])
    assert found("q=new") == {work.pk}


def test_synonym_names_find_the_canonical_tags_works(make_work):
    a = make_work(title="Alpha", fandoms=("BtVS",))
    b = make_work(title="Beta", fandoms=("Buffy the Vampire Slayer",))
    buffy = Tag.objects.get(name="Buffy the Vampire Slayer")
    Tag.objects.filter(pk=buffy.pk).update(canonical=True)
    Tag.objects.filter(name="BtVS").update(merger=buffy)
    mark_changed(tag_ids=[buffy.pk, tag("BtVS").pk])
    assert found("q=vampire") == {a.pk, b.pk}
    assert found("q=btvs") == {a.pk, b.pk}


def test_bulk_tokenising_agrees_with_words_of():
    from fanfold.filters.tokens import _bulk_ids

    texts = ["Café Olé!", "", "a\x00b c", "x_y Z", "Ünïcödé — ok"]
    vocab: dict[str, int] = {}
    wids, lengths, order = _bulk_ids(vocab, texts)
    names = {i: w for w, i in vocab.items()}
    flat = [names[i] for i in wids.tolist()]
    ordered = [texts[i].replace("\x00", " ") for i in order.tolist()]
    assert sorted(order.tolist()) == list(range(len(texts)))
    assert lengths.tolist() == [len(words_of(t)) for t in ordered]
    assert flat == [w for t in ordered for w in words_of(t)]


def test_phrases_stay_within_a_field(make_work, make_user, use_index):
    # The title ends with "sea", the creator's name (the next field) is "dragons".
    work = make_work(make_user("dragons"), title="The Quiet Sea", summary="Dragons sleep.")
    assert found("q=sea dragons", use_index=use_index) == {work.pk}
    assert found('q="sea dragons"', use_index=use_index) == set()
    assert found('q="dragons sleep"', use_index=use_index) == {work.pk}


def test_cached_tag_words_follow_tagging(make_work, make_user):
    writer = make_user()
    first = make_work(title="One", freeforms=["Sea Monsters", "Harbour Life"])
    assert found("q=monsters") == {first.pk}  # the word's works are now cached
    second = make_work(writer, title="Two", freeforms=["Sea Monsters"])
    assert found("q=monsters") == {first.pk, second.pk}
    data = WorkFields(
        title="Two",
        rating=tag("General Audiences"),
        warnings=[tag("No Archive Warnings Apply")],
        fandoms=["Lighthouse Keepers"],
        freeforms=["Lake Monsters"],
    )
    work_update(work=second, editor=writer, data=data)
    assert found("q=monsters") == {first.pk, second.pk}
    assert found("q=sea monsters") == {first.pk}
    assert found("q=lake") == {second.pk}
    data.freeforms = ["Harbour Life"]  # a known tag: the cached union is patched
    work_update(work=second, editor=writer, data=data)
    assert found("q=monsters") == {first.pk}
    assert found("q=harbour") == {first.pk, second.pk}


def test_new_tags_are_searchable_at_once(make_work):
    first = make_work(title="One", freeforms=["Harbour Life"])
    assert found("q=harbour") == {first.pk}  # cached
    second = make_work(title="Two", freeforms=["Harbour Ghosts"])  # a brand-new tag
    assert found("q=harbour") == {first.pk, second.pk}
    assert found("q=ghosts") == {second.pk}
