from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from fanfold.demo.generator import ProseGenerator
from fanfold.tags.models import Tag, TagType
from fanfold.works.models import SerialWork, Work

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_output():
    out = StringIO()
    call_command("load_demo", works=25, long_work_chapters=6, long_work_words=6000, stdout=out)
    return out.getvalue()


def test_small_demo_has_every_kind_of_work(demo_output):
    assert Work.objects.count() == 26
    posted = Work.objects.filter(posted=True)
    for tag_type in (TagType.RATING, TagType.WARNING):
        for tag in Tag.objects.of_type(tag_type):
            assert posted.filter(tags=tag).exists(), tag.name
    assert Work.objects.filter(posted=False).exists()
    assert posted.filter(restricted=True).exists()
    assert posted.filter(chapter_count__gt=1).exists()
    assert Work.objects.filter(challenge__isnull=False).exists()
    shared = Work.objects.annotate(
        creators=Count("creatorships", filter=Q(creatorships__approved=True))
    ).filter(creators=2)
    assert shared.exists()  # an accepted co-creator
    assert Tag.objects.of_type(TagType.CHARACTER).filter(parents__type=TagType.FANDOM).exists()


def test_long_work_is_the_requested_size(demo_output):
    long_work = Work.objects.get(title="Everything the Lamp Remembers")
    assert long_work.chapter_count == 6 and long_work.complete and long_work.is_adult
    assert abs(long_work.word_count - 6000) / 6000 < 0.02


def test_series_parts_are_ordered(demo_output):
    parts = SerialWork.objects.order_by("series", "position")
    assert parts.exists()
    for series_id in set(parts.values_list("series", flat=True)):
        positions = list(parts.filter(series=series_id).values_list("position", flat=True))
        assert positions == list(range(1, len(positions) + 1))


def test_progress_is_shown_and_if_empty_does_nothing(demo_output):
    assert "works 10/25" in demo_output and "long work chapters 6/6" in demo_output
    assert "Demo archive ready" in demo_output
    again = StringIO()
    call_command("load_demo", if_empty=True, stdout=again)
    assert "already has works" in again.getvalue()
    assert Work.objects.count() == 26


def test_prose_is_deterministic_for_a_seed():
    first, second, other = ProseGenerator(7), ProseGenerator(7), ProseGenerator(8)
    names = ["Ada Vell", "Tam Orr"]
    assert first.chapter(names, 300) == second.chapter(names, 300)
    assert first.title() == second.title()
    assert ProseGenerator(7).chapter(names, 300) != other.chapter(names, 300)
