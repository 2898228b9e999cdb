"""A model field for HTML that is sanitised by construction.

Templates print these values without `|safe`, so the field itself earns that trust: any
value assigned in Python, passed to `create()` or to `QuerySet.update()` goes through
`sanitize_html` with the field's profile, whatever its type (a `SafeString` made
elsewhere is no proof of anything). Only text read back from the database, which went
through this field on its way in, is taken as it is, so reading a page does no parsing.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.safestring import SafeString

from fanfold.markup.sanitize import Profile, sanitize_html


class SanitizedHTML(SafeString):
    """HTML that this field sanitised or read from its own column."""

    __slots__ = ()


def _sanitized(value: Any, profile: Profile) -> SanitizedHTML | None:
    if value is None or isinstance(value, SanitizedHTML):
        return value
    return SanitizedHTML(sanitize_html(str(value), profile))


class _SanitizingAttribute:
    def __init__(self, name: str, profile: Profile):
        self.name = name
        self.profile = profile

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return instance.__dict__.get(self.name, SanitizedHTML(""))

    def __set__(self, instance, value) -> None:
        instance.__dict__[self.name] = _sanitized(value, self.profile)


class SanitizedHTMLField(models.TextField):
    """`profile` picks the allowlist (comments allow less than works)."""

    def __init__(self, *args, profile: Profile = Profile.WORK, **kwargs):
        self.profile = Profile(profile)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    # `profile` is left out of deconstruct() on purpose: it changes no column, and
    # migrations never write author text through historical models.

    def contribute_to_class(self, cls, name, private_only=False):
        super().contribute_to_class(cls, name, private_only=private_only)
        setattr(cls, self.attname, _SanitizingAttribute(self.attname, self.profile))

    def from_db_value(self, value, expression, connection):
        # Written through this field, so already clean: no second parse on every read.
        return None if value is None else SanitizedHTML(value)

    def get_prep_value(self, value):
        # `QuerySet.update(field=...)` and lookups never pass the attribute above.
        return super().get_prep_value(_sanitized(value, self.profile))
