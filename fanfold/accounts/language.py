"""The language a member reads the archive in, for text made away from their request:
e-mail and notices rendered by staff actions or the background worker.

`User.language` (blank = the site's default) is the member's preference; until that
field exists the `getattr` keeps this module working with English for everyone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.utils import translation

from fanfold.accounts.models import User
from fanfold.archive.models import SiteSettings


def site_language() -> str:
    """The site's default language: the one chosen in site settings when there is
    such a setting, else LANGUAGE_CODE."""
    chosen = getattr(SiteSettings.current(), "default_language", "") or settings.LANGUAGE_CODE
    return _supported(chosen) or "en"


def _supported(code: str) -> str:
    """`code` when the site offers it (or its base language), else ''."""
    offered = {c for c, _name in settings.LANGUAGES}
    if code in offered:
        return code
    base = code.split("-")[0]
    return base if base in offered else ""


def language_of(user: Any) -> str:
    """The language to write to `user` in: their preference, else the site's."""
    return _supported(getattr(user, "language", "") or "") or site_language()


@contextmanager
def in_language_of(user: Any) -> Iterator[str]:
    """Render (gettext, templates, dates) in `user`'s language inside the block."""
    code = language_of(user)
    with translation.override(code):
        yield code


def by_language(users: Iterable[Any]) -> dict[str, list[Any]]:
    """Group `users` by the language to write to them in, so one notice to many
    members is rendered once per language rather than once per member."""
    groups: dict[str, list[Any]] = defaultdict(list)
    for user in users:
        groups[language_of(user)].append(user)
    return dict(groups)


def addresses_by_language(addresses: Iterable[str]) -> dict[str, list[str]]:
    """Group e-mail addresses by the language to write to them in: a member's own for
    an address on an account, else the language active now (a guest reporter's own
    request, or the site's default in the background worker)."""
    wanted = list(addresses)
    members = {user.email.lower(): user for user in User.objects.filter(email__in=wanted)}
    fallback = _supported(translation.get_language() or "") or site_language()
    groups: dict[str, list[str]] = defaultdict(list)
    for address in wanted:
        member = members.get(address.lower())
        groups[language_of(member) if member else fallback].append(address)
    return dict(groups)
