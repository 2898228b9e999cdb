"""Co-creator invitations: the invitee hears of them (inbox and e-mail), answers from
the inbox, and nobody but the work's editors learns of an invitation until it is
accepted."""

from types import SimpleNamespace

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from fanfold.works.models import Creatorship
from fanfold.works.services import cocreator_invite
from fanfold.works.tests.test_posting_views import form_data

pytestmark = pytest.mark.django_db

# The edit form rates the work Mature: readers pass the adult notice.
ADULT_OK = "?view_adult=true"


@pytest.fixture
def invited(make_user, make_work, django_capture_on_commit_callbacks):
    """A work by wren with fern invited from the edit form."""
    author = make_user("wren")
    fern = make_user("fern", email="fern@example.org")
    work = make_work(author, title="The Long Way Round")
    client = Client()
    client.force_login(author)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("works:edit", args=[work.pk]), form_data(cocreators="fern", action="save")
        )
    assert response.status_code == 302
    invitation = Creatorship.objects.get(pseud__user=fern)
    return SimpleNamespace(work=work, author=author, fern=fern, invitation=invitation)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_invitee_is_mailed_once(invited, django_capture_on_commit_callbacks):
    [message] = mail.outbox
    assert message.to == ["fern@example.org"]
    assert "The Long Way Round" in message.subject
    assert "wren invited your pseud fern" in message.body
    assert reverse("comments:inbox") in message.body
    with django_capture_on_commit_callbacks(execute=True):
        cocreator_invite(
            work=invited.work, inviter=invited.author, pseud=invited.fern.default_pseud
        )
    assert len(mail.outbox) == 1  # asking again is not a second invitation


def test_the_invitation_waits_in_the_inbox_with_a_badge(invited):
    page = logged_in(invited.fern).get(reverse("comments:inbox")).text
    assert "Co-creator invitations" in page and "The Long Way Round" in page
    accept = reverse("works:invitation_answer", args=[invited.invitation.pk, "accept"])
    assert f'action="{accept}"' in page
    assert 'class="badge">1<' in page  # the menu counts the unanswered invitation


def test_accepting_from_the_inbox_credits_the_invitee(invited):
    client = logged_in(invited.fern)
    url = reverse("works:invitation_answer", args=[invited.invitation.pk, "accept"])
    assert client.get(url).status_code == 405  # no writes on GET
    response = client.post(url, {"next": reverse("comments:inbox")})
    assert response.status_code == 302 and response["Location"] == reverse("comments:inbox")
    invited.invitation.refresh_from_db()
    assert invited.invitation.approved
    page = Client().get(invited.work.get_absolute_url() + ADULT_OK).text
    assert ">fern</a>" in page and "(pending)" not in page
    assert "Co-creator invitations" not in client.get(reverse("comments:inbox")).text


def test_declining_removes_the_invitation(invited):
    logged_in(invited.fern).post(
        reverse("works:invitation_answer", args=[invited.invitation.pk, "decline"])
    )
    assert not Creatorship.objects.filter(pk=invited.invitation.pk).exists()
    assert "fern" not in logged_in(invited.author).get(invited.work.get_absolute_url()).text


def test_only_the_invitee_answers(invited, make_user):
    for someone in (invited.author, make_user("stranger")):
        url = reverse("works:invitation_answer", args=[invited.invitation.pk, "accept"])
        assert logged_in(someone).post(url).status_code == 403
    bogus = reverse("works:invitation_answer", args=[invited.invitation.pk, "maybe"])
    assert logged_in(invited.fern).post(bogus).status_code == 404
    invited.invitation.refresh_from_db()
    assert not invited.invitation.approved


def test_answers_need_the_csrf_token(invited):
    client = Client(enforce_csrf_checks=True)
    client.force_login(invited.fern)
    url = reverse("works:invitation_answer", args=[invited.invitation.pk, "accept"])
    assert client.post(url).status_code == 403
    invited.invitation.refresh_from_db()
    assert not invited.invitation.approved


def test_an_off_site_next_is_ignored(invited):
    url = reverse("works:invitation_answer", args=[invited.invitation.pk, "decline"])
    response = logged_in(invited.fern).post(url, {"next": "https://elsewhere.example/"})
    assert response["Location"] == reverse("works:invitations")


def test_the_inviter_sees_pending_and_readers_see_nothing(invited, make_user):
    editor = logged_in(invited.author)
    for url in (invited.work.get_absolute_url(), reverse("works:edit", args=[invited.work.pk])):
        page = editor.get(url).text
        assert "fern" in page and "(pending)" in page
    for reader in (Client(), logged_in(make_user("reader"))):
        page = reader.get(invited.work.get_absolute_url() + ADULT_OK).text
        assert ">wren</a>" in page and "fern" not in page and "(pending)" not in page


def test_members_who_refuse_invitations_are_not_invited(make_user, make_work):
    author = make_user("wren")
    shy = make_user("shy")
    shy.allow_cocreator = False
    shy.save(update_fields=["allow_cocreator"])
    work = make_work(author)
    response = logged_in(author).post(
        reverse("works:edit", args=[work.pk]), form_data(cocreators="shy", action="save")
    )
    assert "does not accept co-creator invitations" in response.text
    assert not Creatorship.objects.filter(pseud__user__username="shy").exists()
    assert mail.outbox == []
