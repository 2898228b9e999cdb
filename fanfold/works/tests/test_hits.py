import datetime

import pytest

from fanfold.archive.pending import view_writes
from fanfold.works.hits import hits_fold, hits_write
from fanfold.works.models import HitLedger, Work

pytestmark = pytest.mark.django_db


def hits(work) -> int:
    return Work.objects.values_list("hits", flat=True).get(pk=work.pk)


def test_one_hit_per_visitor_per_day(client, make_work, flush_views):
    work = make_work()
    for _ in range(3):
        client.get(work.get_absolute_url(), REMOTE_ADDR="10.0.0.1")
    client.get(work.get_absolute_url(), REMOTE_ADDR="10.0.0.2")
    flush_views()
    assert hits(work) == 2


def test_creators_do_not_count_their_own_hits(client, make_work, flush_views):
    work = make_work()
    client.force_login(work.creators[0].user)
    client.get(work.get_absolute_url())
    flush_views()
    assert hits(work) == 0


def test_gate_page_is_not_a_hit(client, make_work, flush_views):
    work = make_work(rating="Explicit")
    client.get(work.get_absolute_url())
    flush_views()
    assert hits(work) == 0
    client.get(work.get_absolute_url() + "?view_adult=true")
    flush_views()
    assert hits(work) == 1


def test_a_new_day_counts_again_and_folding_keeps_the_total(make_work):
    work = make_work()
    day1, day5 = datetime.date(2026, 1, 1), datetime.date(2026, 1, 5)
    hits_write([(work.pk, "v1", day1), (work.pk, "v2", day1)])
    hits_write([(work.pk, "v1", day1), (work.pk, "v1", day5)])
    assert hits(work) == 3
    assert hits_fold(today=day5) == 2
    assert HitLedger.objects.count() == 1
    assert hits(work) == 3
    hits_write([(work.pk, "v2", day5)])
    assert hits(work) == 4


def test_buffer_writes_once_per_flush(make_work):
    work = make_work()
    for visitor in ("a", "b", "a"):
        view_writes.add("hits", (work.pk, visitor, datetime.date(2026, 2, 1)))
    assert hits(work) == 0
    assert view_writes.flush() == 2
    assert hits(work) == 2
