"""Featured works: staff choose them, the home page shows them first."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fanfold.blocking.services import user_mute
from fanfold.staff.roles import Role
from fanfold.works.models import Work
from fanfold.works.staff_services import work_set_featured, work_set_hidden

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(make_user):
    return make_user("mod", roles=[Role.MODERATOR])


def featured_section(client) -> str:
    page = client.get(reverse("archive:home")).text
    if "Featured works" not in page:
        return ""
    return page[page.index("Featured works") : page.index("Latest updates")]


def test_featuring_needs_staff_and_makes_cached_copies_stale(make_work, make_user, staff):
    work = make_work()
    with pytest.raises(PermissionDenied):
        work_set_featured(work=work, featured=True, editor=make_user())
    before = work.render_version
    work_set_featured(work=work, featured=True, editor=staff)
    work.refresh_from_db()
    assert work.featured and work.render_version > before


def test_home_shows_up_to_five_featured_works_the_viewer_may_see(
    client, make_work, staff, moderator
):
    for n in range(7):
        work_set_featured(work=make_work(title=f"Gem {n}"), featured=True, editor=staff)
    members = make_work(title="Members Gem", restricted=True)
    hidden = make_work(title="Hidden Gem")
    for work in (members, hidden):
        work_set_featured(work=work, featured=True, editor=staff)
    work_set_hidden(work=hidden, hidden=True, actor=moderator)
    make_work(title="Ordinary Work")
    section = featured_section(client)
    assert section.count('class="work blurb') == 5
    assert "Ordinary Work" not in section and "Members Gem" not in section
    assert "Hidden Gem" not in section
    assert "Gem 6" in section and "Gem 1" not in section  # latest updates first


def test_home_leaves_out_the_section_without_featured_works(client, make_work):
    make_work(title="Ordinary Work")
    assert featured_section(client) == ""


def test_muted_creators_are_not_featured_to_the_muter(client, make_work, make_user, staff):
    author = make_user("loud")
    work_set_featured(work=make_work(author, title="Loud Gem"), featured=True, editor=staff)
    reader = make_user("reader")
    user_mute(muter=reader, muted=author)
    client.force_login(reader)
    assert "Loud Gem" not in featured_section(client)


@pytest.mark.parametrize("viewer", ["guest", "member"])
def test_home_costs_the_same_queries_with_one_or_five_featured(
    client, make_work, make_user, staff, viewer
):
    from django.core.cache import cache

    if viewer == "member":
        client.force_login(make_user())

    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("archive:home")).status_code == 200
        return len(queries)

    work_set_featured(work=make_work(title="First Gem"), featured=True, editor=staff)
    client.get(reverse("archive:home"))
    one = count()
    for n in range(6):
        work = make_work(title=f"Gem {n}", characters=[f"Person {n}", f"Other {n}"])
        work_set_featured(work=work, featured=True, editor=staff)
    assert count() == one


def test_staff_feature_from_the_work_page(make_work, staff):
    work = make_work(title="Shiny")
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    page = client.get(work.get_absolute_url()).text
    assert "Feature on the home page" in page
    token = client.cookies["csrftoken"].value
    url = reverse("works:feature", args=[work.pk])
    assert client.post(url, {"featured": "1"}).status_code == 403  # no CSRF token
    response = client.post(url, {"featured": "1", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Work.objects.get(pk=work.pk).featured
    assert "Stop featuring" in client.get(work.get_absolute_url()).text
    client.post(url, {"featured": "0", "csrfmiddlewaretoken": token})
    assert not Work.objects.get(pk=work.pk).featured


def test_members_cannot_feature_even_their_own_work(client, make_work, make_user):
    author = make_user("author")
    work = make_work(author)
    client.force_login(author)
    assert "Feature on the home page" not in client.get(work.get_absolute_url()).text
    assert (
        client.post(reverse("works:feature", args=[work.pk]), {"featured": "1"}).status_code == 403
    )
    assert not Work.objects.get(pk=work.pk).featured


def test_admin_filters_and_features_works(client, make_work, make_user):
    admin = make_user("root", is_superuser=True)
    client.force_login(admin)
    gem = make_work(title="Gem")
    make_work(title="Plain")
    changelist = reverse("admin:works_work_changelist")
    client.post(changelist, {"action": "feature", "_selected_action": [gem.pk]})
    assert list(Work.objects.filter(featured=True)) == [gem]
    filtered = client.get(changelist + "?featured__exact=1").text
    assert "Gem" in filtered and "Plain" not in filtered
    client.post(changelist, {"action": "unfeature", "_selected_action": [gem.pk]})
    assert not Work.objects.filter(featured=True).exists()
