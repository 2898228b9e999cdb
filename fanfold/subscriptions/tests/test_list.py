"""The subscriptions page names only what still exists for the subscriber."""

import pytest
from django.urls import reverse

from fanfold.accounts.models import User
from fanfold.subscriptions.models import Subscription
from fanfold.subscriptions.services import subscription_create
from fanfold.works.models import Series, Work
from fanfold.works.staff_services import work_set_hidden

pytestmark = pytest.mark.django_db

GONE = {
    "hidden by staff": lambda work: work_set_hidden(
        work=work, hidden=True, actor=User.objects.get(username="root"), reason="Spam."
    ),
    "unposted": lambda work: Work.objects.filter(pk=work.pk).update(posted=False),
    "held for approval": lambda work: Work.objects.filter(pk=work.pk).update(approval="pending"),
}


@pytest.mark.parametrize("gone", GONE.values(), ids=GONE.keys())
def test_works_and_series_gone_since_keep_no_title(client, make_user, make_work, gone):
    author, reader = make_user("author"), make_user("reader")
    make_user("root", is_superuser=True)  # hides the work in the first case
    work = make_work(author, title="Vanishing Lighthouse", series_title="Vanishing Cycle")
    make_work(author, title="Still Here")
    series = Series.objects.get(title="Vanishing Cycle")
    subscription_create(user=reader, work=work)
    subscription_create(user=reader, series=series)
    subscription_create(user=reader, creator=author)
    client.force_login(reader)
    page = client.get(reverse("subscriptions:list")).content.decode()
    assert "Vanishing Lighthouse" in page and "Vanishing Cycle" in page
    gone(work)
    page = client.get(reverse("subscriptions:list")).content.decode()
    assert "Vanishing Lighthouse" not in page and "Vanishing Cycle" not in page
    assert page.count("no longer available") == 2 and author.get_absolute_url() in page
    # Each still has its unsubscribe button.
    for sub in Subscription.objects.filter(user=reader):
        assert reverse("subscriptions:delete", args=[sub.pk]) in page


def test_no_subscribing_to_a_series_whose_every_part_is_out_of_sight(client, make_user, make_work):
    author, reader = make_user("author"), make_user("reader")
    work = make_work(author, series_title="Quiet Cycle")
    Work.objects.filter(pk=work.pk).update(hidden_by_admin=True)
    series = Series.objects.get(title="Quiet Cycle")
    client.force_login(reader)
    response = client.post(reverse("subscriptions:create"), {"kind": "series", "id": series.pk})
    assert response.status_code == 404
    assert not Subscription.objects.filter(user=reader).exists()
