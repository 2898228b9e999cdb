"""Page services: who may write pages, and the audit log."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from fanfold.audit.models import AuditEntry
from fanfold.pages.models import Page
from fanfold.pages.services import PageFields, page_create, page_delete, page_update
from fanfold.staff.roles import Role

pytestmark = pytest.mark.django_db


def fields(**changes) -> PageFields:
    base = {"title": "Links", "slug": "links", "body": "Our friends.", "text_format": "plain"}
    return PageFields(**(base | changes))


def test_only_administrators_edit_pages(make_user):
    for role in (Role.MODERATOR, Role.WRANGLER, Role.SUPPORT):
        with pytest.raises(PermissionDenied):
            page_create(user=make_user(roles=[role]), data=fields())
    with pytest.raises(PermissionDenied):
        page_create(user=None, data=fields())
    assert not Page.objects.filter(slug="links").exists()


def test_every_change_is_in_the_audit_log(editor):
    page = page_create(user=editor, data=fields())
    page_update(page=page, user=editor, data=fields(body="Our good friends."))
    page_delete(page=page, user=editor)
    entries = list(AuditEntry.objects.filter(target_type="page").order_by("pk"))
    assert [(e.action, e.actor_id, e.role) for e in entries] == [
        ("page.create", editor.pk, "administrator"),
        ("page.update", editor.pk, "administrator"),
        ("page.delete", editor.pk, "administrator"),
    ]
    assert entries[1].changes == {"body": ["Our friends.", "Our good friends."]}


def test_rules_and_terms_cannot_be_deleted(editor):
    for slug in ("rules", "terms"):
        with pytest.raises(PermissionDenied):
            page_delete(page=Page.objects.get(slug=slug), user=editor)
    assert not AuditEntry.objects.filter(action="page.delete").exists()
