"""eFiction's news, news comments and pages, imported from the `full` fixture."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from fanfold.comments.models import Comment
from fanfold.efiction.models import EfictionImport, Kind, LegacyId
from fanfold.news.models import NewsPost
from fanfold.pages.models import Page

FIXTURES = Path(__file__).parent / "fixtures"

pytestmark = pytest.mark.django_db


def run() -> str:
    out = io.StringIO()
    call_command(
        "import_efiction", str(FIXTURES / "full" / "dump.sql"), jobs=1, stdout=out, stderr=out
    )
    return out.getvalue()


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


def member_pk(uid: int) -> int:
    return EfictionImport.objects.get().pk_for(Kind.AUTHOR, uid)


def post(nid: int) -> NewsPost:
    return NewsPost.objects.get(pk=LegacyId.objects.get(kind=Kind.NEWS, legacy_id=nid).object_id)


def test_news_posts_keep_their_dates_and_authors():
    run()
    opened, challenge = post(1), post(2)
    assert opened.title == "We are open"
    assert opened.body_html == "<p>The archive is open.</p>"
    assert opened.published and opened.published_at == utc(2005, 3, 1, 12, 5)
    assert opened.created_at == opened.updated_at == utc(2005, 3, 1, 12, 5)
    assert opened.author_id == member_pk(1)
    # The archive's `newscomments` setting is 0: old comments stay, new ones are off.
    assert not opened.comments_enabled and not challenge.comments_enabled
    # The author is stored as a pen name in eFiction; Max is matched by it.
    assert challenge.author_id == member_pk(4)
    assert challenge.body_html.startswith("<p>Try <i>First Contact</i>. ")


def test_news_comments_become_threads_with_their_dates_and_names():
    run()
    comments = list(Comment.objects.filter(news_post=post(1)).order_by("created_at"))
    assert [(c.user_id, c.guest_name, c.created_at) for c in comments] == [
        (member_pk(6), "", utc(2005, 3, 2, 9, 0)),
        (None, "Anonymous", utc(2005, 3, 3, 10, 0)),
        (member_pk(5), "", utc(2005, 3, 4, 11, 0)),
    ]
    for c in comments:
        assert (c.depth, c.thread_id, c.path) == (0, c.pk, str(c.pk).zfill(10))
        assert c.work_id is None and c.status == "published"
    assert "javascript" not in comments[1].body_html
    assert post(1).comment_count == 3
    assert post(2).comment_count == 0


def test_news_shows_on_the_site_with_its_comments(client):
    run()
    page = client.get(post(1).get_absolute_url()).content.decode()
    assert "The archive is open." in page and "Hooray!" in page and "Anonymous" in page
    assert "We are open" in client.get("/news").content.decode()
    # The old address of a news item leads to it.
    response = client.get("/news.php?action=newsstory&nid=1")
    assert (response.status_code, response["Location"]) == (301, post(1).get_absolute_url())


def test_pages_are_imported_and_the_report_says_so():
    report = run()
    rules, terms = Page.objects.get(slug="rules"), Page.objects.get(slug="terms")
    assert rules.title == "Rules" and "Rate honestly." in rules.body_html
    assert terms.body_html == "<p>Use this site nicely.</p>"
    help_page = Page.objects.get(slug="help")
    assert help_page.show_in_footer
    assert help_page.body_html == "<p>Lost your password? Ask an admin.</p>"  # no <script>
    care = Page.objects.get(slug="lanterncare")
    assert care.title == "Caring for Lanterns" and "keep the oil dry" in care.body_html
    awards = Page.objects.get(slug="awards")
    assert awards.title == "Lantern Awards" and not awards.show_in_footer
    assert awards.body_html == "<p>Winners of 2006:<br>\nThe Lantern Road</p>"
    # The letters are not pages, and the report names them (importer/dropped.py).
    assert not Page.objects.filter(slug="thankyou").exists()
    assert "submission letters, printer disclaimer and maintenance notice" in report
    imported = EfictionImport.objects.get().report["imported"]
    assert (imported["pages"], imported["news posts"], imported["news comments"]) == (5, 2, 3)


def test_old_page_addresses_lead_to_the_imported_pages(client):
    run()
    for name, slug in [("help", "help"), ("lanterncare", "lanterncare"), ("tos", "terms")]:
        response = client.get(f"/viewpage.php?page={name}")
        assert (response.status_code, response["Location"]) == (301, f"/pages/{slug}")


def test_running_again_updates_instead_of_duplicating():
    run()
    hidden = Comment.objects.filter(news_post=post(1)).first()
    Comment.objects.filter(pk=hidden.pk).update(hidden_by_admin=True)
    run()
    assert NewsPost.objects.count() == 2
    assert Comment.objects.filter(news_post__isnull=False).count() == 3
    assert Page.objects.filter(slug="awards").count() == 1
    assert Comment.objects.get(pk=hidden.pk).hidden_by_admin  # a staff decision stays
    assert post(1).comment_count == 2
