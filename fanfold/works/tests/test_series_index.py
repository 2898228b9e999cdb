"""/series: every series with a part the viewer may read, by the works' visibility rule."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fanfold.blocking.services import user_mute
from fanfold.works.models import SerialWork, Series, Work
from fanfold.works.staff_services import work_set_hidden

pytestmark = pytest.mark.django_db


def listed(client, url: str = "/series") -> dict[str, str]:
    """Title → the stats line of each series on the page."""
    response = client.get(url)
    assert response.status_code == 200
    page = BeautifulSoup(response.content.decode(), "html.parser")
    return {
        li.h4.a.text: " ".join(li.select_one("p.stats").text.split())
        for li in page.select("li.series.blurb")
    }


@pytest.fixture
def author(make_user):
    return make_user("harbourmaster")


def test_guests_see_series_with_a_readable_part_counting_only_those(
    client, author, make_work, moderator
):
    make_work(author, title="Lit", series_title="Lamps")
    hidden = make_work(author, title="Hidden", series_title="Lamps")
    work_set_hidden(work=hidden, hidden=True, actor=moderator)
    make_work(author, title="Draft", series_title="Drafts Only", post=False)
    members = make_work(author, title="Members", series_title="Members Only")
    Work.objects.filter(pk=members.pk).update(restricted=True)
    pending = make_work(author, title="Pending", series_title="Queued")
    Work.objects.filter(pk=pending.pk).update(approval="pending")

    shown = listed(client)
    assert list(shown) == ["Lamps"]
    assert shown["Lamps"].startswith("1 work ")  # the hidden part is not counted


def test_members_also_see_members_only_series(client, author, make_work, make_user):
    members = make_work(author, title="Members", series_title="Members Only")
    Work.objects.filter(pk=members.pk).update(restricted=True)
    client.force_login(make_user())
    assert list(listed(client)) == ["Members Only"]


def test_unapproved_parts_and_muted_creators_do_not_make_a_series_show(
    client, author, make_work, make_user
):
    reader = make_user()
    make_work(author, title="Own", series_title="Mine")
    offered = make_work(make_user(), title="Offered")
    series = Series.objects.create(title="Only Offers", owner=author)
    SerialWork.objects.create(series=series, work=offered, approved=False, position=0)
    assert list(listed(client)) == ["Mine"]
    user_mute(muter=reader, muted=author)
    client.force_login(reader)
    assert listed(client) == {}


def test_pages_of_series_newest_update_first(client, author, make_work, settings):
    settings.WORKS_PER_PAGE = 2
    for n in range(5):
        make_work(author, title=f"Work {n}", series_title=f"Series {n}")
    assert list(listed(client)) == ["Series 4", "Series 3"]
    assert list(listed(client, "/series?page=3")) == ["Series 0"]
    for bad in ("²", "0", "-1", "99999999999999999999", "x"):
        assert client.get(f"/series?page={bad}").status_code == 200


def test_the_index_costs_the_same_queries_for_2_and_12_series(client, author, make_work):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/series").status_code == 200
        return len(ctx.captured_queries)

    for n in range(2):
        make_work(author, title=f"A{n}", series_title=f"A{n}")
    queries()  # the first request fills the per-process caches (site settings, footer)
    few = queries()
    for n in range(10):
        make_work(author, title=f"B{n}", series_title=f"B{n}")
    assert queries() == few
