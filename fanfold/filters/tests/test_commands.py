import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from fanfold.filters.models import FilterChange
from fanfold.filters.query import WorkFilter
from fanfold.filters.selectors import filter_works
from fanfold.filters.services import filter_changes_prune, filter_index_rebuild_all

pytestmark = pytest.mark.django_db


def test_rebuild_command_reports_and_verifies(make_work):
    make_work(freeforms=["Fluff", "Angst"])
    out = StringIO()
    call_command("rebuild_filter_index", "--verify", "10", stdout=out)
    text = out.getvalue()
    assert "Built in" in text and "RSS" in text
    assert "0 differ" in text


def test_rebuild_signal_makes_the_index_reload(make_work):
    work = make_work()
    assert filter_works(WorkFilter(), None).total == 1
    # A write that bypassed the services: only a full rebuild can notice it.
    type(work).objects.filter(pk=work.pk).update(posted=False)
    filter_index_rebuild_all()
    assert filter_works(WorkFilter(), None).total == 0


def test_prune_keeps_the_newest_row(make_work):
    make_work()
    make_work()
    assert FilterChange.objects.count() >= 2
    filter_changes_prune(older_than=dt.timedelta(days=-1))
    assert FilterChange.objects.count() == 1
