"""Sign-up as each site setting has it: open, confirm first, by invitation, closed."""

import pytest
from django.contrib.auth import get_user
from django.urls import reverse

from fanfold.accounts.models import User
from fanfold.accounts.tests.conftest import link_in
from fanfold.archive.lockdown import SIGNUP_CLOSED
from fanfold.archive.models import SignupMode
from fanfold.comments.models import Comment
from fanfold.invitations.models import Invitation, InvitationSource
from fanfold.kudos.models import Kudos

pytestmark = pytest.mark.django_db

SIGNUP = {
    "username": "Wren",
    "email": "wren@example.org",
    "password1": "lamp-oil-and-salt",
    "password2": "lamp-oil-and-salt",
}


def comment_on(work, body="Lovely."):
    return {"chapter": work.chapters.get().pk, "body": body}


def test_open_sign_up_lets_a_new_member_comment_at_once(client, make_work, stamped):
    work = make_work()
    assert client.post(reverse("accounts:signup"), stamped(SIGNUP)).status_code == 302
    response = client.post(reverse("comments:new", args=[work.pk]), stamped(comment_on(work)))
    assert response.status_code == 302 and Comment.objects.count() == 1


def test_confirm_mode_holds_writes_until_the_address_is_confirmed(
    client, make_work, site_settings, stamped, mailoutbox
):
    work = make_work()
    site_settings(signup_mode=SignupMode.CONFIRM)
    client.post(reverse("accounts:signup"), stamped(SIGNUP))
    assert get_user(client).username == "Wren"
    page = client.get(work.chapters.get().get_absolute_url()).text
    assert "Confirm your e-mail address to comment" in page and 'id="add_comment"' not in page
    response = client.post(reverse("comments:new", args=[work.pk]), stamped(comment_on(work)))
    assert response.status_code == 403
    assert "Please confirm your e-mail address (wren@example.org)" in response.text
    assert client.post(reverse("kudos:create", args=[work.pk])).status_code == 403
    assert "Please confirm your e-mail address" in client.get("/").text  # the banner
    # What they need to confirm still works: asking for the link again, fixing preferences.
    client.post(reverse("accounts:verify_email_resend"))
    assert len(mailoutbox) == 2
    response = client.post(
        reverse("accounts:preferences"),
        {"section": "bio", "bio": "I keep a lighthouse."},
    )
    assert response.status_code == 302
    client.get(link_in(mailoutbox[-1], "/verify-email/"))
    assert User.objects.get(username="Wren").email_verified
    response = client.post(reverse("comments:new", args=[work.pk]), stamped(comment_on(work)))
    assert response.status_code == 302
    assert Comment.objects.count() == 1
    assert "Please confirm your e-mail address" not in client.get("/").text


def test_confirm_mode_leaves_confirmed_and_staff_members_alone(
    client, make_user, make_work, site_settings
):
    work = make_work()
    site_settings(signup_mode=SignupMode.CONFIRM)
    client.force_login(make_user(email_verified=True))
    client.post(reverse("kudos:create", args=[work.pk]))
    assert Kudos.objects.count() == 1


def test_closed_sign_up_says_so_and_members_carry_on(
    client, make_user, make_work, site_settings, stamped
):
    work = make_work()
    site_settings(signup_mode=SignupMode.CLOSED)
    page = client.get(reverse("accounts:signup"))
    assert SIGNUP_CLOSED in page.text and 'name="password1"' not in page.text
    response = client.post(reverse("accounts:signup"), stamped(SIGNUP))
    assert response.status_code == 403 and not User.objects.filter(username="Wren").exists()
    make_user("mira", password="a-long-passphrase")
    client.post(reverse("accounts:login"), {"username": "mira", "password": "a-long-passphrase"})
    response = client.post(reverse("comments:new", args=[work.pk]), stamped(comment_on(work)))
    assert response.status_code == 302 and Comment.objects.count() == 1


def _sent_invitation(email="wren@example.org") -> Invitation:
    from django.utils import timezone

    return Invitation.objects.create(
        source=InvitationSource.STAFF, email=email, sent_at=timezone.now()
    )


def test_invitation_mode_needs_a_valid_unused_token(client, site_settings, stamped):
    site_settings(signup_mode=SignupMode.INVITE)
    page = client.get(reverse("accounts:signup")).text
    assert reverse("invitations:request") in page and 'name="invitation"' in page
    response = client.post(reverse("accounts:signup"), stamped(SIGNUP))
    assert "This field is required" in response.text
    response = client.post(reverse("accounts:signup"), stamped({**SIGNUP, "invitation": "nope"}))
    assert "That invitation is not valid" in response.text
    assert not User.objects.exists()


def test_an_invitation_signs_up_once_and_vouches_for_its_address(client, site_settings, stamped):
    site_settings(signup_mode=SignupMode.INVITE)
    invitation = _sent_invitation()
    page = client.get(invitation.signup_path).text
    assert f'value="{invitation.token}"' in page  # the link fills the code in
    data = stamped({**SIGNUP, "invitation": invitation.token})
    assert client.post(reverse("accounts:signup"), data).status_code == 302
    wren = User.objects.get(username="Wren")
    invitation.refresh_from_db()
    assert invitation.used_by == wren and invitation.used_at is not None
    assert wren.email_verified  # the link went to this very address
    client.logout()
    again = stamped({**SIGNUP, "username": "Wren2", "invitation": invitation.token})
    response = client.post(reverse("accounts:signup"), again)
    assert "That invitation has already been used." in response.text
    assert not User.objects.filter(username="Wren2").exists()


def test_an_invitation_used_at_another_address_leaves_it_unconfirmed(
    client, site_settings, stamped, mailoutbox
):
    site_settings(signup_mode=SignupMode.INVITE)
    invitation = _sent_invitation("friend@example.org")
    data = stamped({**SIGNUP, "invitation": invitation.token})
    client.post(reverse("accounts:signup"), data)
    assert not User.objects.get(username="Wren").email_verified
    assert mailoutbox[-1].to == ["wren@example.org"]
