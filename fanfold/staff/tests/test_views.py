import pytest
from django.urls import reverse

from fanfold.audit.models import AuditEntry
from fanfold.staff.permissions import roles_of
from fanfold.staff.roles import Role
from fanfold.tags.models import Tag, TagType

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user("chief", roles=[Role.ADMINISTRATOR]))
    return client


def test_an_administrator_gives_roles_and_the_log_shows_it(admin_client, make_user):
    member = make_user("mira")
    response = admin_client.post(
        reverse("staff:roles"),
        {"username": "MIRA", "roles": ["moderator", "support"], "reason": "new team"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert roles_of(member) == {Role.MODERATOR, Role.SUPPORT} and member.is_staff
    page = admin_client.get(reverse("staff:roles")).content.decode()
    assert "mira" in page and "Moderator" in page
    log = admin_client.get(reverse("staff:audit"), {"member": "mira"}).content.decode()
    assert "role.change" in log and "new team" in log


def test_a_bad_roles_form_keeps_what_was_typed(admin_client):
    response = admin_client.post(
        reverse("staff:roles"), {"username": "nobody-here", "roles": ["support"], "reason": "x"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is no member with that user name." in page
    assert 'value="nobody-here"' in page


def test_the_last_administrator_is_told_why_not(client, make_user):
    only = make_user("only", roles=[Role.ADMINISTRATOR])
    client.force_login(only)
    response = client.post(reverse("staff:roles"), {"username": "only", "roles": ["moderator"]})
    assert response.status_code == 400
    assert "at least one administrator" in response.content.decode()
    assert roles_of(only) == {Role.ADMINISTRATOR}


def test_fandoms_are_assigned_and_wranglers_see_them(admin_client, client, make_user):
    wrangler = make_user("wren", roles=[Role.WRANGLER])
    Tag.objects.create(name="Harbour Tales", type=TagType.FANDOM, canonical=True)
    response = admin_client.post(
        reverse("staff:fandom_assign"), {"wrangler": "wren", "fandom": "harbour tales"}
    )
    assert response.status_code == 302
    client.force_login(wrangler)
    assert "Harbour Tales" in client.get(reverse("staff:fandoms")).content.decode()


def test_a_wrangler_cannot_take_a_held_fandom(client, make_user, admin_client):
    make_user("wren", roles=[Role.WRANGLER])
    Tag.objects.create(name="Harbour Tales", type=TagType.FANDOM, canonical=True)
    admin_client.post(
        reverse("staff:fandom_assign"), {"wrangler": "wren", "fandom": "Harbour Tales"}
    )
    client.force_login(make_user("ash", roles=[Role.WRANGLER]))
    response = client.post(reverse("staff:fandoms"), {"fandom": "Harbour Tales"})
    assert response.status_code == 400
    assert "already held" in response.content.decode()


def test_a_wrangler_outside_the_fandom_is_told_on_the_edit_page(client, make_user, admin_client):
    make_user("wren", roles=[Role.WRANGLER])
    fandom = Tag.objects.create(name="Harbour Tales", type=TagType.FANDOM, canonical=True)
    character = Tag.objects.create(name="Ada", type=TagType.CHARACTER)
    character.parents.add(fandom)
    admin_client.post(
        reverse("staff:fandom_assign"), {"wrangler": "wren", "fandom": "Harbour Tales"}
    )
    client.force_login(make_user("ash", roles=[Role.WRANGLER]))
    response = client.post(
        reverse("tags:edit", args=[character.url_name]), {"action": "canonical", "canonical": "1"}
    )
    assert "another wrangler holds" in response.content.decode()
    character.refresh_from_db()
    assert not character.canonical


def test_the_audit_log_filters_by_action_and_date(admin_client, make_user):
    admin_client.post(reverse("staff:roles"), {"username": make_user("mira").username, "roles": []})
    admin_client.post(
        reverse("staff:roles"), {"username": make_user("ash").username, "roles": ["support"]}
    )
    page = admin_client.get(reverse("staff:audit"), {"action": "role", "actor": "chief"})
    assert page.context["page"].paginator.count == 1
    future = admin_client.get(reverse("staff:audit"), {"since": "2999-01-01"})
    assert future.context["page"].paginator.count == 0
    reversed_range = admin_client.get(
        reverse("staff:audit"), {"since": "2026-02-01", "until": "2026-01-01"}
    )
    assert "The end date is before the start date." in reversed_range.content.decode()
    nonsense = admin_client.get(reverse("staff:audit"), {"since": "99999-99-99", "page": "²"})
    assert nonsense.status_code == 200


def test_the_audit_log_offers_no_way_to_change_it(admin_client):
    entry = AuditEntry.objects.create(action="work.hide", target_type="work", target_id="1")
    before = list(AuditEntry.objects.values_list("pk", "action", "reason"))
    assert admin_client.post(reverse("staff:audit"), {"reason": "x"}).status_code == 405
    assert list(AuditEntry.objects.values_list("pk", "action", "reason")) == before
    assert entry.pk in [pk for pk, _, _ in before]


def test_the_dashboard_lists_only_what_the_role_allows(client, make_user):
    client.force_login(make_user("wren", roles=[Role.WRANGLER]))
    page = client.get(reverse("staff:dashboard")).content.decode()
    assert reverse("tags:wrangle") in page
    assert reverse("staff:audit") not in page and reverse("staff:roles") not in page
