import datetime as dt

from django.http import QueryDict

from fanfold.filters.query import MAX_TAGS, WorkFilter


def parse(qs: str) -> WorkFilter:
    return WorkFilter.from_params(QueryDict(qs))


def test_defaults_have_no_errors():
    f = parse("")
    assert f.errors == []
    assert f.effective_sort == "updated"
    assert f.page == 1
    assert f.to_query_string() == ""


def test_round_trip_through_the_query_string():
    qs = (
        "tag=12&tag=Buffy+the+Vampire+Slayer&exclude=7&rating=1&warning=2,3&complete=yes"
        "&single_chapter=1&words_min=10000&words_max=100000&kudos_min=5"
        "&updated_from=2024-01-01&updated_to=2024-12-31&published_within=30&language=de"
        "&crossovers=only&q=slow+burn&sort=kudos&page=3"
    )
    f = parse(qs)
    assert f.errors == []
    assert f.include == [12, "Buffy the Vampire Slayer"]
    assert f.warnings == [2, 3]
    assert f.updated.start == dt.date(2024, 1, 1)
    assert f.published.within_days == 30
    again = parse(f.to_query_string())
    assert again == f
    assert "page=4" in f.to_query_string(page=4)


def test_bad_values_are_dropped_with_a_message():
    f = parse(
        "words_min=lots&updated_from=2024-13-01&complete=maybe&sort=random&language=xx"
        "&crossovers=sometimes&page=-2&rating=abc&published_within=0"
    )
    assert f.words_min is None and f.updated.start is None
    assert f.complete == "any" and f.sort == "" and f.language == "" and f.page == 1
    assert len(f.errors) == 9
    assert any("whole number" in e for e in f.errors)
    assert any("2024-05-31" in e for e in f.errors)


def test_reversed_ranges_are_refused():
    f = parse("words_min=500&words_max=100&updated_from=2024-02-01&updated_to=2024-01-01")
    assert f.words_min is None and f.words_max is None
    assert f.updated.start is None
    assert len(f.errors) == 2


def test_relevance_needs_a_search_and_is_the_default_with_one():
    assert parse("q=dragons").effective_sort == "relevance"
    f = parse("sort=relevance")
    assert f.sort == "" and f.errors


def test_too_many_tags_are_cut():
    f = parse("&".join(f"tag={n}" for n in range(1, MAX_TAGS + 10)))
    assert len(f.include) == MAX_TAGS
    assert f.errors
