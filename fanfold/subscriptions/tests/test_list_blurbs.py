"""Subscribed works show their whole blurb, in the same number of queries for one work
as for a page of twenty."""

import pytest
from django.urls import reverse

from fanfold.conftest import copy_works
from fanfold.subscriptions.models import Subscription
from fanfold.subscriptions.services import subscription_create
from fanfold.works.tests.blurb_checks import assert_full_blurb, queries_for, rich_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader_and_work(make_user, make_work):
    reader = make_user("reader")
    work = rich_work(make_user, make_work)
    subscription_create(user=reader, work=work)
    return reader, work


def test_subscribed_works_show_their_blurb(client, reader_and_work):
    reader, work = reader_and_work
    author = work.creators[0].user
    subscription_create(user=reader, creator=author)
    client.force_login(reader)
    page = client.get(reverse("subscriptions:list")).content.decode()
    assert_full_blurb(page)
    assert f'href="{author.get_absolute_url()}"' in page


def test_twenty_works_cost_the_queries_of_one(client, reader_and_work):
    reader, work = reader_and_work
    client.force_login(reader)
    url = reverse("subscriptions:list")
    one = queries_for(client, url)
    Subscription.objects.bulk_create(
        Subscription(user=reader, work=copy) for copy in copy_works(work, 19)
    )
    assert client.get(url).content.decode().count('class="work blurb') == 20
    assert queries_for(client, url) == one
    # More than a page: the rest are one click away.
    Subscription.objects.bulk_create(
        Subscription(user=reader, work=copy) for copy in copy_works(work, 1)
    )
    assert 'rel="next"' in client.get(url).content.decode()
