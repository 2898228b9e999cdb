import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fanfold.moderation.services import work_approve, work_hold, work_reject
from fanfold.subscriptions.models import Notice
from fanfold.subscriptions.services import subscription_create
from fanfold.works.chapter_services import chapter_add
from fanfold.works.fields import ChapterFields
from fanfold.works.models import Approval, Work
from fanfold.works.services import work_post

pytestmark = pytest.mark.django_db


def add_chapter(work, author, title="Later"):
    return chapter_add(
        work=work, editor=author, data=ChapterFields(body="<p>More.</p>", title=title), post=True
    )


def test_setting_off_posts_at_once(make_work):
    assert make_work().approval == Approval.APPROVED


def test_members_new_works_wait_when_the_setting_is_on(needs_approval, make_user, make_work):
    work = make_work(make_user())
    assert work.posted and work.approval == Approval.PENDING
    assert not Work.objects.visible_to(None).filter(pk=work.pk).exists()


def test_drafts_wait_only_once_posted(needs_approval, make_user, make_work):
    author = make_user()
    draft = make_work(author, post=False)
    assert work_post(work=draft, editor=author).approval == Approval.PENDING


def test_staff_and_trusted_authors_skip_the_queue(needs_approval, make_user, make_work, staff):
    trusted = make_user()
    trusted.trusted_author = True
    trusted.save(update_fields=["trusted_author"])
    assert make_work(trusted).approval == Approval.APPROVED
    assert make_work(staff).approval == Approval.APPROVED


def test_chapters_of_a_waiting_work_wait_with_it_and_approved_works_stay_approved(
    needs_approval, make_user, make_work, client
):
    author = make_user()
    waiting = make_work(author)
    chapter = add_chapter(waiting, author, title="Hidden Part")
    assert client.get(chapter.get_absolute_url()).status_code == 404

    author.trusted_author = True
    author.save(update_fields=["trusted_author"])
    approved = make_work(author)
    author.trusted_author = False
    author.save(update_fields=["trusted_author"])
    add_chapter(approved, author)
    approved.refresh_from_db()
    assert approved.approval == Approval.APPROVED and approved.chapter_count == 2


def test_approve_keeps_imported_dates_and_makes_the_work_public(make_user, make_work, staff):
    work = make_work(make_user(), chapters=2)
    old = timezone.now() - dt.timedelta(days=3650)
    # What the eFiction importer does for an unvalidated story.
    work.chapters.update(published_at=old)
    Work.objects.filter(pk=work.pk).update(
        approval=Approval.PENDING, published_at=old, updated_at=old
    )
    work_approve(work=work, moderator=staff, message="Welcome to the new archive.")
    work.refresh_from_db()
    assert work.approval == Approval.APPROVED
    assert work.published_at == old and work.updated_at == old
    assert work.approval_message == "Welcome to the new archive."
    assert Work.objects.visible_to(None).filter(pk=work.pk).exists()


def test_approve_dates_an_undated_import(make_user, make_work, staff):
    work = make_work(make_user())
    work.chapters.update(published_at=None)
    Work.objects.filter(pk=work.pk).update(
        approval=Approval.PENDING, published_at=None, updated_at=None
    )
    work_approve(work=work, moderator=staff)
    work.refresh_from_db()
    assert work.published_at is not None and work.updated_at == work.published_at


def test_subscribers_hear_of_a_work_only_when_it_is_approved(
    needs_approval, make_user, make_work, staff, django_capture_on_commit_callbacks
):
    author = make_user("author")
    reader = make_user("reader", email="reader@example.org")
    subscription_create(user=reader, creator=author)
    with django_capture_on_commit_callbacks(execute=True):
        work = make_work(author, title="Storm Warning")
        add_chapter(work, author)
    assert mail.outbox == [] and not Notice.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        work_approve(work=work, moderator=staff)
    to_reader = [m for m in mail.outbox if m.to == ["reader@example.org"]]
    assert len(to_reader) == 1 and "Storm Warning" in to_reader[0].body


def test_creators_are_emailed_the_decision(
    needs_approval, make_user, make_work, staff, django_capture_on_commit_callbacks
):
    author = make_user("author", email="author@example.org")
    work = make_work(author, title="Harbour Ghosts")
    with django_capture_on_commit_callbacks(execute=True):
        work_reject(work=work, moderator=staff, message="Please add the archive warnings.")
    [message] = mail.outbox
    assert message.to == ["author@example.org"] and "not approved" in message.subject
    assert "Please add the archive warnings." in message.body
    assert work.get_absolute_url() in message.body

    work_post(work=work, editor=author)  # edited and sent again
    with django_capture_on_commit_callbacks(execute=True):
        work_approve(work=work, moderator=staff, message="Thank you!")
    assert "was approved" in mail.outbox[1].subject and "Thank you!" in mail.outbox[1].body


def test_rejected_work_goes_back_to_the_queue_when_posted_again(
    needs_approval, make_user, make_work, staff
):
    author = make_user()
    work = make_work(author)
    work_reject(work=work, moderator=staff, message="Too short.")
    work.refresh_from_db()
    assert work.approval == Approval.REJECTED and work.approval_message == "Too short."
    assert not Work.objects.visible_to(make_user()).filter(pk=work.pk).exists()
    # Even with the setting off again, staff decide on what they turned down.
    needs_approval.works_need_approval = False
    needs_approval.save()
    assert work_post(work=work, editor=author).approval == Approval.PENDING


def test_only_staff_decide_and_only_on_waiting_works(needs_approval, make_user, make_work, staff):
    author = make_user()
    work = make_work(author)
    with pytest.raises(PermissionDenied):
        work_approve(work=work, moderator=author)
    with pytest.raises(ValidationError):
        work_reject(work=work, moderator=staff, message="x" * 5001)
    work_approve(work=work, moderator=staff)
    with pytest.raises(ValidationError):
        work_reject(work=work, moderator=staff)
    with pytest.raises(ValidationError):
        work_approve(work=work, moderator=staff)


def test_importers_hold_a_work_and_readers_lose_it_at_once(client, make_work, staff):
    work = make_work(title="Unvalidated Story")
    assert client.get(work.get_absolute_url()).status_code == 200  # cached for guests
    client.get("/works")  # and in this process's filter index
    work_hold(work=work)
    assert client.get(work.get_absolute_url()).status_code == 404
    assert "Unvalidated Story" not in client.get("/works").text
    client.force_login(staff)
    assert "Unvalidated Story" in client.get("/moderation/works").text
