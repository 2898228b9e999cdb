"""The project's URL patterns: every named page is reached by its own address.

fanfold/urls.py lists the reading pages' apps first, because Django tries the patterns
in order on every request; that order may only matter for speed, never for which view
answers, so no pattern may catch another app's address."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import get_converters

# A value each path converter accepts (the sample kwargs of a reversed pattern).
SAMPLES = {
    "id": 7,
    "int": 7,
    "str": "sample",
    "slug": "sample",
    "path": "a/b",
    "uuid": "12345678-1234-5678-1234-567812345678",
}


def _named(patterns, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named(entry.url_patterns, inner)
        elif entry.name:
            yield f"{namespace}{entry.name}", entry


def _kwargs(pattern: URLPattern) -> dict[str, object] | None:
    """Sample keyword arguments for a `path()` pattern; None for a regular expression."""
    converters = getattr(pattern.pattern, "converters", {})
    if pattern.pattern.regex.groups != len(converters):
        return None
    kinds = {type(converter): kind for kind, converter in get_converters().items()}
    return {name: SAMPLES[kinds[type(c)]] for name, c in converters.items()}


def test_every_named_page_resolves_to_itself():
    checked = 0
    for name, pattern in _named(get_resolver().url_patterns):
        if name.startswith("admin:"):
            continue  # Django's admin, mounted under its own prefix
        kwargs = _kwargs(pattern)
        if kwargs is None:
            continue
        url = reverse(name, kwargs=kwargs)
        assert resolve(url).view_name == name, f"{url} is answered by another pattern"
        checked += 1
    assert checked > 150  # the walk found the project's pages
