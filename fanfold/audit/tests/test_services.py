import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from fanfold.audit.context import AuditContextMiddleware, client_ip
from fanfold.audit.models import AuditEntry
from fanfold.audit.services import audit_record, changes_between

pytestmark = pytest.mark.django_db


def test_an_entry_names_target_member_and_changes(make_user, make_work):
    creator = make_user("keeper")
    work = make_work(creator, title="Tidewater")
    entry = audit_record(
        action="work.hide",
        target=work,
        member=creator,
        reason="spam",
        changes=changes_between({"hidden": False}, {"hidden": True, "title": "Tidewater"}),
    )
    entry.refresh_from_db()
    assert (entry.target_type, entry.target_id, entry.target_label) == (
        "work",
        str(work.pk),
        "Tidewater",
    )
    assert entry.changes == {"hidden": [False, True], "title": [None, "Tidewater"]}
    assert entry.actor is None and entry.actor_name == ""
    assert entry.member == creator and entry.member_name == "keeper"


def test_entries_cannot_be_edited_or_deleted():
    entry = audit_record(action="settings.change", target_type="settings", target_id=1)
    entry.reason = "rewritten history"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(reason="x")
    assert AuditEntry.objects.get().reason == ""


def test_an_entry_rolls_back_with_the_change_it_records():
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(action="work.hide", target_type="work", target_id=7)
        raise RuntimeError("the change failed")
    assert not AuditEntry.objects.exists()


def test_the_client_address_comes_from_the_request(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9")

    def view(request):
        audit_record(action="login.failed", target_type="user", target_id="mira")
        return HttpResponse()

    AuditContextMiddleware(view)(request)
    assert AuditEntry.objects.get().ip == "203.0.113.9"
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="not an address")) is None
