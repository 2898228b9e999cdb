"""/staff/settings and /staff/lockdown: who may, what is saved, what is audited."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from fanfold.archive.models import SignupMode, SiteSettings
from fanfold.archive.services import lockdown_set, site_settings_update
from fanfold.audit.models import AuditEntry
from fanfold.staff.roles import Role

pytestmark = pytest.mark.django_db

FORM = {
    "site_name": "Harbour Archive",
    "tagline": "Stories of the sea",
    "welcome": "",
    "disclaimer": "",
    "rules": "",
    "terms": "",
    "signup_mode": "confirm",
    "invitations_per_day": "0",
    "held_first_comments": "2",
    "guest_link_limit": "1",
    "guest_comments": "on",
}


@pytest.mark.parametrize(
    ("role", "settings_status", "lockdown_status"),
    [
        (None, 403, 403),
        (Role.SUPPORT, 403, 403),
        (Role.WRANGLER, 403, 403),
        (Role.MODERATOR, 403, 200),
        (Role.ADMINISTRATOR, 200, 200),
    ],
)
def test_who_reaches_the_pages(client, make_user, role, settings_status, lockdown_status):
    client.force_login(make_user(roles=[role]) if role else make_user())
    assert client.get(reverse("archive:staff_settings")).status_code == settings_status
    assert client.get(reverse("archive:staff_lockdown")).status_code == lockdown_status
    assert client.post(reverse("archive:staff_settings"), FORM).status_code in (
        settings_status,
        302,
    )
    assert SiteSettings.current().site_name == (
        "Harbour Archive" if role == Role.ADMINISTRATOR else "Fanfold"
    )


def test_guests_are_sent_to_log_in(client):
    response = client.get(reverse("archive:staff_settings"))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_a_change_is_saved_and_audited_with_before_and_after(make_user, client):
    admin = make_user("harbourmaster", roles=[Role.ADMINISTRATOR])
    client.force_login(admin)
    response = client.post(reverse("archive:staff_settings"), FORM, follow=True)
    assert "The site settings are saved." in response.text
    site = SiteSettings.current()
    assert (site.site_name, site.signup_mode, site.held_first_comments) == (
        "Harbour Archive",
        SignupMode.CONFIRM,
        2,
    )
    entry = AuditEntry.objects.get(action="settings.change")
    assert entry.actor_name == "harbourmaster" and entry.role == "administrator"
    assert entry.changes["site_name"] == ["Fanfold", "Harbour Archive"]
    assert entry.changes["signup_mode"] == ["open", "confirm"]
    assert entry.changes["guest_link_limit"] == [2, 1]
    assert "tagline" in entry.changes and "read_only" not in entry.changes
    # Saving the same values again changes nothing and records nothing.
    client.post(reverse("archive:staff_settings"), FORM)
    assert AuditEntry.objects.filter(action="settings.change").count() == 1


def test_an_invalid_form_keeps_what_was_typed(make_user, client):
    client.force_login(make_user(roles=[Role.ADMINISTRATOR]))
    response = client.post(
        reverse("archive:staff_settings"),
        {**FORM, "site_name": "", "tagline": "Kept tagline", "held_first_comments": "-1"},
    )
    assert response.status_code == 400
    assert "Kept tagline" in response.text and "This field is required" in response.text
    assert SiteSettings.current().site_name == "Fanfold"
    assert not AuditEntry.objects.filter(action="settings.change").exists()


def test_a_moderator_flips_the_lockdown_and_it_is_audited(make_user, client):
    moderator = make_user("deckhand", roles=[Role.MODERATOR])
    client.force_login(moderator)
    client.post(reverse("archive:staff_lockdown"), {"guests_paused": "on", "reason": "spam wave"})
    site = SiteSettings.current()
    assert site.guests_paused and not site.read_only
    entry = AuditEntry.objects.get(action="lockdown.change")
    assert entry.changes == {"guests_paused": [False, True]}
    assert entry.reason == "spam wave" and entry.role == "moderator"


def test_settings_rights_without_lockdown_rights_cannot_flip_the_switches(make_user):
    from django.contrib.auth.models import Permission

    clerk = make_user(is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="manage_settings"))
    clerk = type(clerk).objects.get(pk=clerk.pk)
    site_settings_update(actor=clerk, values={"tagline": "Changed"})
    with pytest.raises(PermissionDenied):
        site_settings_update(actor=clerk, values={"read_only": True})
    with pytest.raises(PermissionDenied):
        lockdown_set(actor=clerk, guests_paused=True, read_only=False)
    assert not SiteSettings.current().read_only
