"""No request a visitor can type answers 500: every URL the resolver knows gets every
malformed id shape in its id slots, and every query parameter the code reads gets every
malformed number and date shape, as a guest and as staff.

URLs are enumerated from the resolver and parameter names from the views' source, so a
new page or parameter is covered without touching this file.
"""

from __future__ import annotations

import re
from importlib import import_module
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter
from django.urls.resolvers import RoutePattern

from fanfold.api.main import api
from fanfold.archive.params import MAX_ID, IdConverter
from fanfold.filters.query import STAT_FIELDS

pytestmark = pytest.mark.django_db

SOURCE = Path(__file__).resolve().parents[2]
BAD_NUMBERS = [
    "²",  # a Unicode digit: str.isdigit() says yes, int() says no
    "١٢",  # Arabic-Indic digits: int() says yes
    "9" * 25,  # beyond 64 bits
    "9" * 5000,  # beyond Python's int() digit limit
    "-1",
    "1e309",
    "",
]
BAD_DATES = ["9999-12-31", "0001-01-01", "²⁰²⁴-01-01", "2024-02-30"]


def _routes(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        pattern = entry.pattern
        route = prefix + (pattern._route if isinstance(pattern, RoutePattern) else str(pattern))
        if isinstance(entry, URLResolver):
            yield from _routes(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


ROUTES = list(_routes(get_resolver()))
ID_ROUTES = [(r, e) for r, e in ROUTES if "<id:" in r]


def test_every_integer_in_a_path_is_parsed_by_the_id_converter():
    """`<int:...>` lets ids beyond 64 bits through to the database."""
    for route, entry in ROUTES:
        converters = getattr(entry.pattern, "converters", {})
        plain = [n for n, c in converters.items() if type(c) is IntConverter]
        assert not plain, f"{route}: use <id:...> for {plain}"
    assert any(
        isinstance(c, IdConverter) for _, e in ID_ROUTES for c in e.pattern.converters.values()
    )


def _names_read_from(method: str) -> set[str]:
    """Every parameter name the views read from request.GET or request.POST."""
    found: set[str] = set()
    pattern = re.compile(rf"{method}(?:\.get|\.getlist)?[\(\[]\s*\"(\w+)\"")
    for path in SOURCE.rglob("*.py"):
        if "tests" not in path.parts and "migrations" not in path.parts:
            found |= set(pattern.findall(path.read_text()))
    return found


def _query_names() -> set[str]:
    # The works filter reads its names through a helper (and builds some of them).
    names = {"page", "tag", "exclude", "rating", "warning", "category", "chapter", "sid"}
    names |= {f"{s}_{end}" for s in STAT_FIELDS for end in ("min", "max")}
    names |= {f"{d}_within" for d in ("updated", "published")}
    return names | _names_read_from("GET") | _api_query_names()


def _api_query_names() -> set[str]:
    """The JSON API reads its parameters through ninja schemas, not request.GET: take
    their names from its OpenAPI schema."""
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return {
        p["name"]
        for methods in schema["paths"].values()
        for operation in methods.values()
        for p in operation.get("parameters", [])
        if p["in"] == "query"
    }


DATE_NAMES = {f"{d}_{end}" for d in ("updated", "published") for end in ("from", "to")}


@pytest.fixture
def archive(small_archive):
    ids = {
        "work_id": small_archive.work.pk,
        "chapter_id": small_archive.chapter.pk,
        "comment_id": small_archive.comment.pk,
        "series_id": small_archive.series_id,
        "username": "author",
    }
    return ids, small_archive.staff


def _fill(route: str, values: dict[str, str]) -> str:
    def value(match: re.Match) -> str:
        converter, name = match.group(1) or "str", match.group(2)
        return str(values.get(name, values.get(converter, "x")))

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


def _clients(staff) -> list[Client]:
    # 500s come back as responses, so one run lists every failing request.
    guest = Client(raise_request_exception=False)
    member = Client(raise_request_exception=False)
    member.force_login(staff)
    return [guest, member]


class Failures(list):
    def check(self, client: Client, url: str, method: str = "get", **data) -> None:
        response = getattr(client, method)(url, data)
        if response.status_code >= 500:
            values = sorted({str(v)[:12] for v in data.values()})
            self.append(f"{method.upper()} {url[:60]} {sorted(data)[:4]} = {values}")

    def assert_none(self) -> None:
        assert not self, f"{len(self)} requests answered 5xx:\n" + "\n".join(self[:40])


def test_malformed_ids_in_every_path(archive):
    _ids, staff = archive
    assert ID_ROUTES
    failures = Failures()
    for client in _clients(staff):
        for route, _entry in ID_ROUTES:
            for bad in ("9" * 25, "9" * 5000, "9223372036854775808", "0", "²", "١"):
                url = _fill(route, {"id": bad, "slug": "rules"})
                failures.check(client, url)
                failures.check(client, url, "post", body="x", title="x")
                assert client.get(url).status_code == 404, url
    failures.assert_none()


def test_malformed_query_parameters_on_every_page(archive):
    ids, staff = archive
    names = _query_names()
    routes = [r for r, _ in ROUTES if not r.startswith("admin/")]
    failures = Failures()
    for client in _clients(staff):
        for route in routes:
            url = _fill(route, {**{k: str(v) for k, v in ids.items()}, "slug": "rules"})
            for bad in BAD_NUMBERS:
                failures.check(client, url, **dict.fromkeys(names, bad))
            for bad in BAD_DATES:
                failures.check(client, url, **dict.fromkeys(DATE_NAMES, bad))
    failures.assert_none()


def test_each_parameter_alone_on_the_works_listing(archive):
    """One bad value at a time, so an early refusal cannot hide a later parameter."""
    failures = Failures()
    guest = _clients(archive[1])[0]
    for name in sorted(_query_names() | DATE_NAMES):
        for bad in BAD_NUMBERS + BAD_DATES:
            failures.check(guest, "/works", **{name: bad})
    failures.assert_none()


def test_malformed_numbers_posted_to_every_page(archive):
    """Forms post ids too (items to mark, a tag to remove): the same shapes, as POSTs."""
    ids, staff = archive
    names = _names_read_from("POST") | {"id", "items", "tag", "parent", "reading"}
    failures = Failures()
    routes = [r for r, _ in ROUTES if not r.startswith("admin/")]
    for client in _clients(staff):
        for route in routes:
            url = _fill(route, {**{k: str(v) for k, v in ids.items()}, "slug": "rules"})
            for bad in ("²", "9" * 25, "9" * 5000):
                failures.check(client, url, "post", **dict.fromkeys(names, bad))
    failures.assert_none()


def _project_forms() -> list[type[forms.BaseForm]]:
    for app in apps.get_app_configs():
        if app.name.startswith("fanfold."):
            # forms.py, and the modules split off it (works/chapter_forms.py, ...).
            for module in sorted(Path(app.path).glob("*forms.py")):
                if module.stem == "forms" or module.stem.endswith("_forms"):
                    import_module(f"{app.name}.{module.stem}")
    found, todo = [], [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("fanfold."):
                found.append(sub)
    return found


def test_every_number_a_form_takes_is_bounded():
    """An unbounded IntegerField lets a 25-digit number through validation to the column."""
    checked = 0
    for form in _project_forms():
        for name, field in form.base_fields.items():
            if isinstance(field, forms.IntegerField):
                checked += 1
                assert field.max_value is not None, f"{form.__name__}.{name}"
                assert field.max_value <= MAX_ID, f"{form.__name__}.{name}"
    assert checked


def test_a_huge_expected_chapter_count_is_a_form_error(client, make_user):
    from fanfold.works.tests.test_posting_views import form_data

    client.force_login(make_user())
    for bad in ("9" * 25, "9223372036854775808", "2147483648"):
        response = client.post("/works/new", form_data(expected_chapters=bad))
        assert response.status_code == 200 and "less than or equal to" in response.text
