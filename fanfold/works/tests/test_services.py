import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fanfold.conftest import tag
from fanfold.works.chapter_services import (
    chapter_add,
    chapter_delete,
    chapter_post,
    chapters_reorder,
)
from fanfold.works.fields import ChapterFields, WorkFields
from fanfold.works.models import Chapter, Creatorship, Work
from fanfold.works.services import (
    cocreator_invite,
    creatorship_accept,
    work_create,
    work_post,
    work_update,
)

pytestmark = pytest.mark.django_db


def fields(**overrides) -> WorkFields:
    base = dict(
        title="Salt and Iron",
        rating=tag("Teen And Up Audiences"),
        warnings=[tag("No Archive Warnings Apply")],
        fandoms=["Lighthouse Keepers"],
    )
    base.update(overrides)
    return WorkFields(**base)


def test_posting_a_work_derives_counts_dates_and_tags(make_user):
    author = make_user("wren")
    work = work_create(
        creator=author,
        data=fields(
            characters=["Ada Vell"], freeforms=["Slow Burn", "slow burn"], expected_chapters=2
        ),
        chapter=ChapterFields(body="<p>One two three.</p><p>Four five.</p>"),
        post=True,
    )
    assert work.posted and work.chapter_count == 1 and work.word_count == 5
    assert not work.complete  # 1 of 2 expected chapters
    assert work.published_at is not None and work.updated_at == work.published_at
    names = {t.name for t in work.tags.all()}
    assert {"Teen And Up Audiences", "Lighthouse Keepers", "Ada Vell", "Slow Burn"} <= names
    assert "slow burn" not in names  # same tag, case-insensitively

    chapter_add(work=work, editor=author, data=ChapterFields(body="<p>Six.</p>"), post=True)
    work.refresh_from_db()
    assert work.chapter_count == 2 and work.word_count == 6 and work.complete
    assert work.updated_at >= work.published_at


def test_body_is_sanitised_and_plain_text_gets_paragraphs(make_user):
    work = work_create(
        creator=make_user(),
        data=fields(text_format="plain"),
        chapter=ChapterFields(body="First <b>line</b>\n\nSecond <script>x</script>"),
        post=True,
    )
    body = work.chapters.get().body_html
    assert "<script" not in body and "&lt;b&gt;" in body
    assert body.count("<p>") == 2


def test_limits_are_enforced_with_clear_messages(make_user):
    with pytest.raises(ValidationError) as error:
        work_create(
            creator=make_user(),
            data=fields(title="x" * 256, summary="s" * 1251, rating=None, warnings=[], fandoms=[]),
            chapter=ChapterFields(body="b" * 500_001),
            post=True,
        )
    messages = error.value.message_dict
    assert "255" in messages["title"][0] and "1,250" in messages["summary"][0]
    assert messages["rating"] and messages["warnings"] and messages["fandoms"]
    assert not Work.objects.exists()


def test_chapter_errors_roll_back_the_whole_work(make_user):
    with pytest.raises(ValidationError):
        work_create(creator=make_user(), data=fields(), chapter=ChapterFields(body=" "), post=True)
    assert not Work.objects.exists() and not Chapter.objects.exists()


def test_tag_of_another_type_is_refused(make_user):
    make_user()
    with pytest.raises(ValidationError) as error:
        work_create(
            creator=make_user(),
            data=fields(characters=["Lighthouse Keepers"]),
            chapter=ChapterFields(body="<p>x</p>"),
            post=True,
        )
    assert "already a Fandom tag" in str(error.value)


def test_drafts_post_with_their_chapters(make_user):
    author = make_user()
    work = work_create(
        creator=author, data=fields(), chapter=ChapterFields(body="<p>a b</p>"), post=False
    )
    chapter_add(work=work, editor=author, data=ChapterFields(body="<p>c</p>"), post=True)
    work.refresh_from_db()
    assert not work.posted and work.chapter_count == 0 and work.published_at is None
    work_post(work=work, editor=author)
    work.refresh_from_db()
    assert work.posted and work.chapter_count == 2 and work.word_count == 3


def test_draft_chapter_of_a_posted_work_is_not_counted_until_posted(make_user):
    author = make_user()
    work = work_create(
        creator=author, data=fields(), chapter=ChapterFields(body="<p>a</p>"), post=True
    )
    draft = chapter_add(work=work, editor=author, data=ChapterFields(body="<p>b c</p>"), post=False)
    work.refresh_from_db()
    assert work.chapter_count == 1 and work.word_count == 1
    chapter_post(chapter=draft, editor=author)
    work.refresh_from_db()
    assert work.chapter_count == 2 and work.word_count == 3


def test_only_creators_can_change_a_work(make_user):
    author, stranger = make_user(), make_user()
    work = work_create(
        creator=author, data=fields(), chapter=ChapterFields(body="<p>a</p>"), post=True
    )
    with pytest.raises(PermissionDenied):
        work_update(work=work, editor=stranger, data=fields(title="Stolen"))
    with pytest.raises(PermissionDenied):
        chapter_add(work=work, editor=stranger, data=ChapterFields(body="<p>x</p>"), post=True)
    work.refresh_from_db()
    assert work.title == "Salt and Iron"


def test_reorder_and_delete_renumber_chapters(make_work):
    work = make_work(chapters=3)
    author = work.creators[0].user
    first, second, third = work.chapters.order_by("position")
    chapters_reorder(work=work, editor=author, order=[third.pk, first.pk, second.pk])
    assert list(work.chapters.order_by("position").values_list("pk", flat=True)) == [
        third.pk,
        first.pk,
        second.pk,
    ]
    with pytest.raises(ValidationError):
        chapters_reorder(work=work, editor=author, order=[third.pk, first.pk])
    chapter_delete(chapter=Chapter.objects.get(pk=first.pk), editor=author)
    assert list(work.chapters.values_list("position", flat=True)) == [1, 2]
    work.refresh_from_db()
    assert work.chapter_count == 2


def test_last_chapter_cannot_be_deleted(make_work):
    work = make_work()
    with pytest.raises(ValidationError):
        chapter_delete(chapter=work.chapters.get(), editor=work.creators[0].user)


def test_cocreator_shows_only_after_accepting(make_user, make_work):
    author, friend = make_user(), make_user("fern")
    work = make_work(author)
    invitation = cocreator_invite(work=work, inviter=author, pseud=friend.default_pseud)
    assert [p.user for p in Work.objects.get(pk=work.pk).creators] == [author]
    assert not Work.objects.created_by(friend).exists()
    with pytest.raises(PermissionDenied):
        creatorship_accept(creatorship=invitation, user=author)
    creatorship_accept(creatorship=invitation, user=friend)
    assert Work.objects.created_by(friend).filter(pk=work.pk).exists()
    assert Creatorship.objects.filter(work=work, approved=True).count() == 2


def test_users_can_refuse_cocreator_invitations(make_user, make_work):
    author, shy = make_user(), make_user()
    shy.allow_cocreator = False
    shy.save()
    with pytest.raises(ValidationError):
        cocreator_invite(work=make_work(author), inviter=author, pseud=shy.default_pseud)


def test_edits_bump_the_render_version(make_work):
    work = make_work()
    before = work.render_version
    work_update(work=work, editor=work.creators[0].user, data=fields(title="New title"))
    work.refresh_from_db()
    assert work.render_version > before and work.title == "New title"
