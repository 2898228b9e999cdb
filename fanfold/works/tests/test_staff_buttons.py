"""Staff read works as everyone does: administrators may edit any work, which used to
hide the kudos, subscribe and mark-for-later buttons from them. Only a work's own
creators go without those."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from fanfold.kudos.models import Kudos
from fanfold.staff.roles import Role

pytestmark = pytest.mark.django_db

BUTTONS = ("Kudos ♥", "Subscribe", "Mark for later")


def _buttons(client, url) -> set[str]:
    page = BeautifulSoup(client.get(url).content.decode(), "html.parser")
    actions = page.find(id="work-actions")
    return {button.get_text(strip=True) for button in actions.find_all("button")}


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.MODERATOR, Role.WRANGLER])
def test_staff_see_the_readers_buttons(client, make_user, make_work, role):
    work = make_work(chapters=2)
    client.force_login(make_user("keeper", roles=[role]))
    for url in (work.get_absolute_url(), work.chapters.get(position=2).get_absolute_url()):
        assert set(BUTTONS) <= _buttons(client, url)


def test_superusers_see_them_too_and_their_kudos_count(client, make_user, make_work):
    work = make_work()
    root = make_user("root", is_superuser=True)
    client.force_login(root)
    assert set(BUTTONS) <= _buttons(client, work.get_absolute_url())
    client.post(reverse("kudos:create", args=[work.pk]), {"next": work.get_absolute_url()})
    assert Kudos.objects.filter(work=work, user=root).exists()


def test_an_administrator_still_edits_any_work(client, make_user, make_work):
    work = make_work()
    client.force_login(make_user("keeper", roles=[Role.ADMINISTRATOR]))
    page = client.get(work.get_absolute_url()).content.decode()
    assert reverse("works:edit", args=[work.pk]) in page


@pytest.mark.parametrize("roles", [(), (Role.ADMINISTRATOR,)])
def test_creators_do_not_get_kudos_or_subscribe_on_their_own_work(
    client, make_user, make_work, roles
):
    author = make_user("author", roles=list(roles))
    work = make_work(author)
    client.force_login(author)
    assert not set(BUTTONS) & _buttons(client, work.get_absolute_url())
    response = client.post(reverse("kudos:create", args=[work.pk]))
    assert response.status_code == 302
    assert not Kudos.objects.filter(work=work).exists()
