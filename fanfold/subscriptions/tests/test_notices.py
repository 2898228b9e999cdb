import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from fanfold.subscriptions.models import Notice, Subscription
from fanfold.subscriptions.services import subscription_create, unsubscribe_token
from fanfold.subscriptions.tasks import send_pending_notices
from fanfold.works.chapter_services import chapter_add, chapter_post
from fanfold.works.fields import ChapterFields
from fanfold.works.models import Chapter
from fanfold.works.services import work_post
from fanfold.works.staff_services import work_set_hidden

pytestmark = pytest.mark.django_db


def add_chapter(work, creator, *, post=True, title="Next"):
    return chapter_add(
        work=work, editor=creator, data=ChapterFields(body="<p>More.</p>", title=title), post=post
    )


def test_one_email_per_new_chapter_and_none_for_drafts(
    make_user, make_work, django_capture_on_commit_callbacks
):
    author = make_user("author")
    reader = make_user("reader", email="reader@example.org")
    work = make_work(author)
    subscription_create(user=reader, work=work)
    with django_capture_on_commit_callbacks(execute=True):
        add_chapter(work, author, title="The Storm")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reader@example.org"] and "The Storm" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    with django_capture_on_commit_callbacks(execute=True):
        draft = add_chapter(work, author, post=False, title="Secret draft")
    assert len(mail.outbox) == 1  # a draft chapter sends nothing
    with django_capture_on_commit_callbacks(execute=True):
        chapter_post(chapter=draft, editor=author)
    assert len(mail.outbox) == 2 and "Secret draft" in mail.outbox[1].body
    with django_capture_on_commit_callbacks(execute=True):
        send_pending_notices.call()
    assert len(mail.outbox) == 2  # nothing is sent twice


def test_author_and_series_subscriptions_get_new_works_once(
    make_user, make_work, django_capture_on_commit_callbacks
):
    author = make_user("author")
    reader = make_user("reader")
    first = make_work(author, series_title="Harbour Cycle")
    subscription_create(user=reader, creator=author)
    subscription_create(user=reader, series=first.series.get())
    with django_capture_on_commit_callbacks(execute=True):
        draft = make_work(author, title="Part Two", post=False, series_title="Harbour Cycle")
    assert mail.outbox == []  # drafts never notify
    with django_capture_on_commit_callbacks(execute=True):
        work_post(work=draft, editor=author)
    assert len(mail.outbox) == 1 and "Part Two" in mail.outbox[0].body
    assert Notice.objects.filter(user=reader).count() == 1


def test_hidden_and_members_only_works_for_lapsed_members_send_nothing(
    make_user,
    make_work,
    settings,
    moderator,
):
    settings.TASKS = {
        "default": {
            "BACKEND": settings.TASKS["default"]["BACKEND"].replace(
                "immediate.ImmediateBackend", "dummy.DummyBackend"
            )
        }
    }
    author = make_user("author")
    reader, lapsed = make_user("reader"), make_user("lapsed")
    hidden = make_work(author)
    members = make_work(author, restricted=True)
    for sub in (hidden, members):
        subscription_create(user=reader, work=sub)
        subscription_create(user=lapsed, work=sub)
    add_chapter(hidden, author)
    add_chapter(members, author)
    work_set_hidden(work=hidden, hidden=True, actor=moderator)
    lapsed.is_active = False
    lapsed.save()
    send_pending_notices.call()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [reader.email] and members.title in mail.outbox[0].body
    assert "1 update" not in mail.outbox[0].subject
    assert Notice.objects.filter(dropped=True).count() == 3


def test_batch_sends_one_email_for_several_chapters(make_user, make_work, settings):
    settings.TASKS = {
        "default": {
            "BACKEND": settings.TASKS["default"]["BACKEND"].replace(
                "immediate.ImmediateBackend", "dummy.DummyBackend"
            )
        }
    }
    author, reader = make_user("author"), make_user("reader")
    work = make_work(author)
    subscription_create(user=reader, work=work)
    for n in range(3):
        add_chapter(work, author, title=f"Part {n}")
    assert send_pending_notices.call() == 3
    assert len(mail.outbox) == 1 and "3 updates" in mail.outbox[0].subject


def test_one_click_unsubscribe(make_user, make_work):
    reader = make_user("reader")
    sub = subscription_create(user=reader, work=make_work(make_user("author")))
    url = reverse("subscriptions:unsubscribe", args=[unsubscribe_token(sub)])
    client = Client(enforce_csrf_checks=True)
    assert client.get(url).status_code == 200 and Subscription.objects.exists()  # GET only asks
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and not Subscription.objects.exists()
    assert client.post(url[:-3] + "xyz/").status_code in (400, 404)


def test_subscribe_buttons(client, make_user, make_work):
    work = make_work(make_user("author"))
    reader = make_user("reader")
    client.force_login(reader)
    response = client.post(
        reverse("subscriptions:create"),
        {"kind": "work", "id": work.pk, "next": work.get_absolute_url()},
    )
    assert (
        response.status_code == 302 and Subscription.objects.filter(user=reader, work=work).exists()
    )
    assert "Unsubscribe" in client.get(work.get_absolute_url()).content.decode()
    draft = make_work(make_user("other"), post=False)
    assert (
        client.post(reverse("subscriptions:create"), {"kind": "work", "id": draft.pk}).status_code
        == 404
    )
    assert Chapter.objects.exists()


def test_series_page_offers_bookmark_and_subscription(client, make_user, make_work):
    work = make_work(make_user("author"), series_title="Harbour Cycle")
    series = work.series.get()
    client.force_login(make_user("reader"))
    page = client.get(series.get_absolute_url()).content.decode()
    assert "Bookmark series" in page and "Subscribe to new parts" in page
    client.post(reverse("subscriptions:create"), {"kind": "series", "id": series.pk})
    assert Subscription.objects.filter(series=series).exists()
    assert "Unsubscribe" in client.get(series.get_absolute_url()).content.decode()


def test_members_who_turned_subscription_emails_off_get_none(
    make_user, make_work, django_capture_on_commit_callbacks
):
    author = make_user("author")
    quiet = make_user("quiet", email="quiet@example.org")
    quiet.subscription_emails = False
    quiet.save(update_fields=["subscription_emails"])
    work = make_work(author)
    subscription_create(user=quiet, work=work)
    with django_capture_on_commit_callbacks(execute=True):
        add_chapter(work, author, title="Unheard")
    assert mail.outbox == []
    # The subscription stays, and nothing piles up to be sent later.
    assert Subscription.objects.filter(user=quiet, work=work).exists()
    assert not Notice.objects.filter(user=quiet, sent_at__isnull=True).exists()


def test_subscription_emails_preference_on_the_preferences_page(client, make_user):
    member = make_user("prefers")
    client.force_login(member)
    page = client.get(reverse("accounts:preferences"))
    assert "E-mail me about new chapters and works I subscribe to" in page.text
