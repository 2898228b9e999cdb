import re
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.urls import reverse

from fanfold.blocking.services import user_block
from fanfold.kudos.models import Kudos
from fanfold.kudos.selectors import kudos_summary
from fanfold.kudos.services import AlreadyLeftKudos, kudos_give
from fanfold.staff.roles import Role
from fanfold.works.models import Work


def kudos_count(work) -> int:
    return Work.objects.get(pk=work.pk).kudos_count


@pytest.mark.django_db
def test_one_kudos_per_member_and_per_guest(make_user, make_work):
    work = make_work(make_user("author"))
    reader = make_user("reader")
    kudos_give(work=work, user=reader)
    with pytest.raises(AlreadyLeftKudos):
        kudos_give(work=work, user=reader)
    kudos_give(work=work, user=None, guest_key="guest-a")
    with pytest.raises(AlreadyLeftKudos):
        kudos_give(work=work, user=None, guest_key="guest-a")
    kudos_give(work=work, user=None, guest_key="guest-b")
    assert kudos_count(work) == 3 == Kudos.objects.count()
    summary = kudos_summary(work=work)
    assert summary.names == ["reader"] and summary.guests == 2


@pytest.mark.django_db
def test_no_kudos_on_own_work_restricted_for_guests_or_when_blocked(make_user, make_work):
    author = make_user("author")
    work = make_work(author)
    with pytest.raises(PermissionDenied, match="own work"):
        kudos_give(work=work, user=author)
    restricted = make_work(author, restricted=True)
    with pytest.raises(PermissionDenied, match="Log in"):
        kudos_give(work=restricted, user=None, guest_key="g")
    kudos_give(work=restricted, user=make_user())
    pest = make_user("pest")
    user_block(blocker=author, blocked=pest)
    with pytest.raises(PermissionDenied, match="blocked"):
        kudos_give(work=work, user=pest)
    draft = make_work(author, post=False)
    with pytest.raises(PermissionDenied):
        kudos_give(work=draft, user=make_user())
    assert kudos_count(work) == 0 and kudos_count(restricted) == 1


@pytest.mark.django_db
def test_kudos_button_works_for_guests_from_cached_page(make_work):
    work = make_work()
    Client().get(work.get_absolute_url())  # someone else warms the cache
    guest = Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.9")
    html = guest.get(work.get_absolute_url()).content.decode()
    token = re.search(r'id="new_kudo">.*?value="([^"]+)"', html, re.S).group(1)
    response = guest.post(reverse("kudos:create", args=[work.pk]), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    again = guest.post(
        reverse("kudos:create", args=[work.pk]), {"csrfmiddlewaretoken": token}, follow=True
    )
    assert "already left kudos" in again.content.decode()
    page = guest.get(work.get_absolute_url()).content.decode()
    assert "1 guest left kudos on this work!" in page
    assert kudos_count(work) == 1


@pytest.mark.django_db
def test_kudos_needs_csrf(make_work):
    work = make_work()
    response = Client(enforce_csrf_checks=True).post(reverse("kudos:create", args=[work.pk]))
    assert response.status_code == 403 and kudos_count(work) == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_kudos_all_count(make_user, make_work):
    """Readers leaving kudos at the same moment all count, and the counter matches the
    rows: the F() update runs in the same transaction as each insert."""
    work = make_work(make_user("author"))
    readers = [make_user(f"fan{i}") for i in range(12)]
    errors: list[BaseException] = []
    start = threading.Barrier(len(readers))

    def leave(user):
        try:
            start.wait()
            kudos_give(work=work, user=user)
            kudos_give(work=work, user=None, guest_key=f"g{user.pk}")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=leave, args=(u,)) for u in readers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Kudos.objects.filter(work=work).count() == 24 == kudos_count(work)


@pytest.mark.django_db
def test_guest_kudos_are_per_address_not_per_cookie(make_work):
    work = make_work()
    url = reverse("kudos:create", args=[work.pk])
    Client(REMOTE_ADDR="198.51.100.7").post(url)
    # A fresh browser (no cookies) from the same address doesn't count twice...
    Client(REMOTE_ADDR="198.51.100.7", HTTP_USER_AGENT="Other").post(url)
    assert kudos_count(work) == 1
    # ...while a different address does.
    Client(REMOTE_ADDR="198.51.100.8").post(url)
    assert kudos_count(work) == 2


MEMBERS_ONLY_OUT_OF_SIGHT = {
    "draft": {"posted": False},
    "hidden": {"hidden_by_admin": True},
    "pending": {"approval": "pending"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("state", MEMBERS_ONLY_OUT_OF_SIGHT)
@pytest.mark.parametrize("who", ["guest", "member", "staff"])
def test_kudos_on_a_members_only_work_nobody_may_see_is_not_found(
    client, make_user, make_work, state, who
):
    """ "Log in to leave kudos" would tell a guest that the work exists."""
    work = make_work(make_user("author"), restricted=True)
    Work.objects.filter(pk=work.pk).update(**MEMBERS_ONLY_OUT_OF_SIGHT[state])
    if who != "guest":
        roles = [Role.MODERATOR] if who == "staff" else []
        client.force_login(make_user(who, roles=roles))
    response = client.post(reverse("kudos:create", args=[work.pk]))
    missing = client.post(reverse("kudos:create", args=[work.pk + 1000]))
    if who == "staff" and state != "draft":
        # Staff may open hidden and held works, so they get the service's refusal.
        assert response.status_code == 302
    else:
        assert response.status_code == missing.status_code == 404
    assert kudos_count(work) == 0


@pytest.mark.django_db
def test_guests_are_asked_to_log_in_for_a_members_only_work_they_may_not_open(client, make_work):
    work = make_work(restricted=True)
    response = client.post(reverse("kudos:create", args=[work.pk]), follow=True)
    assert "/login" in response.redirect_chain[-1][0]
    assert "Log in to leave kudos" in response.content.decode()
    assert kudos_count(work) == 0


@pytest.mark.django_db
def test_list_of_kudos_givers_leaves_out_muted_members(client, make_user, make_work):
    from fanfold.blocking.services import user_mute

    work = make_work(make_user("author"))
    loud, quiet, reader = make_user("loudgiver"), make_user("quietgiver"), make_user("reader")
    kudos_give(work=work, user=loud)
    kudos_give(work=work, user=quiet)
    user_mute(muter=reader, muted=loud)
    client.force_login(reader)
    page = client.get(reverse("kudos:list", args=[work.pk])).content.decode()
    assert "quietgiver" in page and "loudgiver" not in page
