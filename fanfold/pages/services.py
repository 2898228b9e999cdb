"""Writing pages. Every change checks the writer's permission again, is written to the
audit log and makes the cached footers (on every page) stale, in its transaction."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fanfold.accounts.models import User
from fanfold.archive.models import SiteSettings
from fanfold.audit.services import audit_record, changes_between, snapshot
from fanfold.markup import Profile, TextFormat, render_text
from fanfold.pages.models import (
    BODY_MAX,
    RESERVED_SLUGS,
    SLUG_MAX,
    TITLE_MAX,
    Page,
)
from fanfold.pages.permissions import PERM
from fanfold.pages.selectors import FOOTER_CACHE_KEY
from fanfold.staff.permissions import require_perm

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass
class PageFields:
    title: str
    slug: str
    body: str
    text_format: str = TextFormat.HTML
    show_in_footer: bool = True
    order: int = 0


# What the audit log keeps a before/after of.
AUDITED = ("title", "slug", "body", "text_format", "show_in_footer", "order")


def _require_editor(user: User | None) -> None:
    require_perm(user, PERM, _("Only the archive's staff can edit pages."))


def _audit(action: str, user: User | None, page: Page, before: dict, after: dict) -> None:
    audit_record(
        action=f"page.{action}",
        actor=user,
        perm=PERM,
        target=page,
        changes=changes_between(before, after),
    )


def _validate(data: PageFields, page: Page | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    title, slug, body = data.title.strip(), data.slug.strip(), data.body.strip()
    if not title:
        errors["title"] = ["Give the page a title."]
    elif len(title) > TITLE_MAX:
        errors["title"] = [f"Titles can be at most {TITLE_MAX} characters long."]
    if page is not None and page.required and slug != page.slug:
        errors["slug"] = [f"Sign-up links to /pages/{page.slug}, so its address stays."]
    elif not _SLUG.match(slug) or len(slug) > SLUG_MAX:
        errors["slug"] = [
            "Use lower-case letters, digits and single hyphens (like house-rules), "
            f"at most {SLUG_MAX} characters."
        ]
    elif slug in RESERVED_SLUGS:
        errors["slug"] = [f"“{slug}” is used by the pages' own addresses; choose another."]
    elif Page.objects.filter(slug=slug).exclude(pk=page.pk if page else 0).exists():
        errors["slug"] = [f"There is already a page at /pages/{slug}."]
    if not body:
        errors["body"] = ["Write the page before saving it."]
    elif len(body) > BODY_MAX:
        errors["body"] = [f"Pages can be at most {BODY_MAX:,} characters long."]
    if data.text_format not in {f.value for f in TextFormat}:
        errors["text_format"] = ["Choose one of the text formats."]
    if not 0 <= data.order <= 32767:
        errors["order"] = ["Use a number from 0 to 32767."]
    return errors


def _apply(page: Page, data: PageFields) -> None:
    errors = _validate(data, page if page.pk else None)
    if errors:
        raise ValidationError(errors)
    page.title = data.title.strip()
    page.slug = data.slug.strip()
    page.body = data.body.strip()
    page.text_format = data.text_format
    page.body_html = render_text(page.body, data.text_format, Profile.WORK)
    page.show_in_footer = data.show_in_footer
    page.order = data.order
    page.updated_at = timezone.now()


def _footer_changed() -> None:
    # Every page's footer lists the pages; cached pages carry the site version.
    SiteSettings.make_pages_stale()
    transaction.on_commit(lambda: cache.delete(FOOTER_CACHE_KEY))
    cache.delete(FOOTER_CACHE_KEY)


@transaction.atomic
def page_create(*, user: User | None, data: PageFields) -> Page:
    _require_editor(user)
    page = Page()
    _apply(page, data)
    page.created_at = page.updated_at
    page.save()
    _audit("create", user, page, {}, snapshot(page, AUDITED))
    _footer_changed()
    return page


@transaction.atomic
def page_update(*, page: Page, user: User | None, data: PageFields) -> Page:
    _require_editor(user)
    before = snapshot(page, AUDITED)
    _apply(page, data)
    page.save()
    _audit("update", user, page, before, snapshot(page, AUDITED))
    _footer_changed()
    return page


@transaction.atomic
def page_delete(*, page: Page, user: User | None) -> None:
    """Delete a page; Rules and Terms stay (sign-up links to them)."""
    _require_editor(user)
    if page.required:
        raise PermissionDenied(
            _("The {title} page can be edited but not deleted.").format(title=page.title)
        )
    _audit("delete", user, page, snapshot(page, AUDITED), {})
    page.delete()
    _footer_changed()
