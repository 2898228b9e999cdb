"""Preferences, profiles and pseuds, including who may change what."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from fanfold.accounts.models import Pseud
from fanfold.accounts.services import pseud_create, user_update_bio
from fanfold.accounts.tests.conftest import link_in
from fanfold.staff.roles import Role

pytestmark = pytest.mark.django_db


def shown_preferences(html: str) -> dict:
    """What the reading form on a page shows: ticked boxes and chosen options."""
    form = BeautifulSoup(html, "html.parser").find("form", id="reading")
    shown = {box["name"]: box.has_attr("checked") for box in form.find_all(type="checkbox")}
    for select in form.find_all("select"):
        chosen = select.find("option", selected=True)
        shown[select["name"]] = chosen["value"] if chosen else None
    return shown


READING = {
    "section": "reading",
    "view_adult": "on",
    "hide_warnings": "on",
    "view_full_work": "on",
    "theme": "sepia",
    "font_size": "130",
    "history_enabled": "on",
}


def test_the_language_preference_is_saved_and_used(client, make_user):
    user = make_user()
    client.force_login(user)
    response = client.post(
        reverse("accounts:preferences"), {**READING, "language": "de"}, follow=True
    )
    user.refresh_from_db()
    assert user.language == "de"
    assert '<html lang="de"' in response.text
    assert shown_preferences(response.text)["language"] == "de"


def test_preferences_need_login(client):
    response = client.get(reverse("accounts:preferences"))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_preferences_are_saved_and_shown_back(client, make_user):
    user = make_user()
    client.force_login(user)
    response = client.post(reverse("accounts:preferences"), READING, follow=True)
    assert "Your preferences are saved." in response.text
    user.refresh_from_db()
    assert (user.view_adult, user.hide_warnings, user.hide_freeform) == (True, True, False)
    assert (user.view_full_work, user.allow_cocreator) == (True, False)
    assert (user.theme, user.font_size) == ("sepia", 130)
    assert shown_preferences(response.text) == {
        "view_adult": True,
        "hide_warnings": True,
        "hide_freeform": False,
        "view_full_work": True,
        "allow_cocreator": False,
        "theme": "sepia",
        "font_size": "130",
        "language": "",  # the archive's choice, until the member picks one
        "history_enabled": True,
        "comment_emails": False,
        "subscription_emails": False,  # not ticked in the form above
    }
    assert 'class="theme-sepia scale-' in response.text  # the page itself follows the new theme


def test_invalid_preferences_keep_what_was_ticked(client, make_user):
    user = make_user()
    client.force_login(user)
    response = client.post(reverse("accounts:preferences"), {**READING, "theme": "neon"})
    assert response.status_code == 200 and "form-errors" in response.text
    shown = shown_preferences(response.text)
    assert shown["view_adult"] and shown["font_size"] == "130"
    user.refresh_from_db()
    assert not user.view_adult and user.theme == "auto"


def test_bio_is_saved_and_shown_on_the_profile(client, make_user):
    user = make_user("wren")
    client.force_login(user)
    data = {"section": "bio", "bio": "I keep a <em>lighthouse</em>.<script>alert(1)</script>"}
    client.post(reverse("accounts:preferences"), data)
    page = client.get(reverse("accounts:user", args=["wren"])).text
    assert "I keep a <em>lighthouse</em>." in page
    assert "<script>alert(1)" not in page


def test_email_change_needs_the_password_and_keeps_what_was_typed(client, make_user, mailoutbox):
    user = make_user(email="old@example.org", password="lamp-oil-and-salt")
    client.force_login(user)
    data = {"section": "email", "email": "new@example.org", "password": "wrong"}
    response = client.post(reverse("accounts:preferences"), data)
    assert "That is not your current password." in response.text
    assert 'value="new@example.org"' in response.text
    user.refresh_from_db()
    assert user.email == "old@example.org" and not mailoutbox


def test_email_change_unverifies_and_sends_a_new_link(client, make_user, mailoutbox):
    user = make_user(email="old@example.org", password="lamp-oil-and-salt", email_verified=True)
    client.force_login(user)
    data = {"section": "email", "email": "new@example.org", "password": "lamp-oil-and-salt"}
    response = client.post(reverse("accounts:preferences"), data, follow=True)
    assert "Your address is now new@example.org." in response.text
    assert "not confirmed yet" in response.text
    user.refresh_from_db()
    assert user.email == "new@example.org" and not user.email_verified
    verify, notice = mailoutbox
    assert verify.to == ["new@example.org"] and notice.to == ["old@example.org"]
    client.get(link_in(verify, "/verify-email/"))
    user.refresh_from_db()
    assert user.email_verified


def test_profile(client, make_user):
    owner = make_user("Wren")
    pseud_create(user=owner, name="Night Owl")
    user_update_bio(user=owner, bio="Keeper of lamps.")
    page = client.get(reverse("accounts:user", args=["wREN"])).text
    assert "Wren" in page and "Joined" in page and "<p>Keeper of lamps.</p>" in page
    assert reverse("works:user_works", args=["Wren"]) in page
    assert reverse("accounts:pseud", args=["Wren", "Night Owl"]) in page


def test_profile_of_unknown_or_closed_account_is_404(client, make_user):
    assert client.get(reverse("accounts:user", args=["nobody"])).status_code == 404
    closed = make_user("gone")
    closed.is_active = False
    closed.save()
    assert client.get(reverse("accounts:user", args=["gone"])).status_code == 404


def test_pseud_page(client, make_user):
    owner = make_user("wren")
    pseud_create(user=owner, name="Night Owl", description="Poems <b>at</b> night.")
    response = client.get(reverse("accounts:pseud", args=["WREN", "night owl"]))
    assert "Night Owl" in response.text
    assert "Poems &lt;b&gt;at&lt;/b&gt; night." in response.text
    assert reverse("works:pseud_works", args=["wren", "Night Owl"]) in response.text
    assert client.get(reverse("accounts:pseud", args=["wren", "nope"])).status_code == 404


def test_pseud_list_shows_pseuds_to_everyone(client, make_user):
    pseud_create(user=make_user("wren"), name="Night Owl")
    page = client.get(reverse("accounts:pseuds", args=["wren"])).text
    assert "Night Owl" in page and "Add a pseud" not in page


def test_create_pseud(client, make_user):
    owner = make_user("wren")
    client.force_login(owner)
    data = {"name": "Night Owl", "description": "Poems."}
    response = client.post(reverse("accounts:pseuds", args=["wren"]), data)
    pseud = owner.pseuds.get(name="Night Owl")
    assert response["Location"] == pseud.get_absolute_url()
    assert pseud.description == "Poems." and not pseud.is_default


def test_duplicate_pseud_name_is_refused_and_typing_kept(client, make_user):
    owner = make_user("wren")
    client.force_login(owner)
    data = {"name": "WREN", "description": "Kept text."}
    response = client.post(reverse("accounts:pseuds", args=["wren"]), data)
    assert "You already have a pseud with that name." in response.text
    assert 'value="WREN"' in response.text and "Kept text." in response.text
    assert owner.pseuds.count() == 1


def test_switch_default_pseud(client, make_user):
    owner = make_user("wren")
    night = pseud_create(user=owner, name="Night Owl")
    client.force_login(owner)
    url = reverse("accounts:pseud_default", args=["wren", "Night Owl"])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response["Location"] == reverse("accounts:pseuds", args=["wren"])
    assert owner.default_pseud == night
    assert owner.pseuds.filter(is_default=True).count() == 1


def test_edit_pseud_description(client, make_user):
    owner = make_user("wren")
    client.force_login(owner)
    url = reverse("accounts:pseud_edit", args=["wren", "wren"])
    assert "csrfmiddlewaretoken" in client.get(url).text
    client.post(url, {"description": "Stories of the coast."})
    assert owner.default_pseud.description == "Stories of the coast."


def test_delete_pseud(client, make_user):
    owner = make_user("wren")
    spare = pseud_create(user=owner, name="Spare")
    client.force_login(owner)
    url = reverse("accounts:pseud_delete", args=["wren", "Spare"])
    assert "Yes, delete it" in client.get(url).text
    client.post(url)
    assert not Pseud.objects.filter(pk=spare.pk).exists()


def test_default_pseud_is_not_deleted(client, make_user):
    owner = make_user("wren")
    client.force_login(owner)
    response = client.post(reverse("accounts:pseud_delete", args=["wren", "wren"]), follow=True)
    assert "cannot be deleted" in response.text
    assert owner.pseuds.count() == 1


def test_pseud_with_works_is_not_deleted(client, make_user, make_work):
    owner = make_user("wren")
    make_work(owner)
    pseud_create(user=owner, name="Spare")
    client.force_login(owner)
    client.post(reverse("accounts:pseud_default", args=["wren", "Spare"]))
    url = reverse("accounts:pseud_delete", args=["wren", "wren"])
    assert "credited on works" in client.get(url).text
    response = client.post(url, follow=True)
    assert "credited on works" in response.text
    assert owner.pseuds.count() == 2


@pytest.mark.parametrize(
    ("name", "method", "data"),
    [
        ("accounts:pseud_edit", "get", None),
        ("accounts:pseud_edit", "post", {"description": "Hijacked."}),
        ("accounts:pseud_default", "post", None),
        ("accounts:pseud_delete", "get", None),
        ("accounts:pseud_delete", "post", None),
    ],
)
def test_others_cannot_change_my_pseuds(client, make_user, name, method, data):
    owner = make_user("wren")
    pseud_create(user=owner, name="Spare", description="Mine.")
    client.force_login(make_user("magpie"))
    response = getattr(client, method)(reverse(name, args=["wren", "Spare"]), data or {})
    assert response.status_code == 403
    spare = owner.pseuds.get(name="Spare")
    assert spare.description == "Mine." and not spare.is_default


def test_others_cannot_add_pseuds_to_my_account(client, make_user):
    owner = make_user("wren")
    client.force_login(make_user("magpie"))
    response = client.post(reverse("accounts:pseuds", args=["wren"]), {"name": "Fake"})
    assert response.status_code == 403 and owner.pseuds.count() == 1
    assert "Add a pseud" not in client.get(reverse("accounts:pseuds", args=["wren"])).text


def test_guests_are_sent_to_log_in(client, make_user):
    make_user("wren")
    response = client.get(reverse("accounts:pseud_edit", args=["wren", "wren"]))
    assert response.status_code == 302 and "/login" in response["Location"]
    assert client.post(reverse("accounts:pseuds", args=["wren"]), {"name": "x"}).status_code == 403


def test_staff_can_change_a_members_pseuds(client, make_user):
    owner = make_user("wren")
    client.force_login(make_user("moderator", roles=[Role.MODERATOR]))
    url = reverse("accounts:pseud_edit", args=["wren", "wren"])
    client.post(url, {"description": "Tidied by the moderators."})
    assert owner.default_pseud.description == "Tidied by the moderators."
