"""Downloading works and series as a reader does: the menu, the file, the rules."""

import pytest
from bs4 import BeautifulSoup
from django.core.files.storage import default_storage

from fanfold.exports.links import download_links, series_download_links
from fanfold.exports.registry import FORMATS
from fanfold.exports.tests.conftest import epub_text
from fanfold.works.chapter_services import chapter_add
from fanfold.works.fields import ChapterFields
from fanfold.works.models import Series, Work

pytestmark = pytest.mark.django_db


def epub_url(work) -> str:
    return next(link.url for link in download_links(work) if link.format == "epub")


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def menu(client, url) -> dict[str, str]:
    page = BeautifulSoup(client.get(url).content, "html.parser")
    return {a.get_text(): a["href"] for a in page.select("li.download ul li a")}


def test_the_work_page_offers_every_format_in_ao3s_menu(client, make_work):
    work = make_work(title="Everything the Lamp Remembers")
    links = menu(client, work.get_absolute_url())
    expected = {"EPUB", "PDF", "HTML"} | ({"AZW3"} if FORMATS["azw3"].available() else set())
    assert set(links) == expected
    assert links["EPUB"] == f"/downloads/{work.pk}/everything_the_lamp_remembers.epub"


def test_without_calibre_the_menu_leaves_azw3_out_and_says_why(client, make_work, no_calibre):
    work = make_work()
    page = BeautifulSoup(client.get(work.get_absolute_url()).content, "html.parser")
    assert "AZW3" not in {a.get_text() for a in page.select("li.download a")}
    assert "calibre" in page.select_one("li.download li.note").get_text()
    slug_url = epub_url(work).replace(".epub", ".azw3")
    assert client.get(slug_url).status_code == 404


def test_an_epub_download_is_the_work_as_a_book(client, make_work):
    work = make_work(title="Harbour Lights", chapters=2, summary="Lamps at dusk.")
    response = client.get(epub_url(work))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/epub+zip"
    assert 'filename="harbour_lights.epub"' in response["Content-Disposition"]
    text = epub_text(body(response))
    assert "Chapter 2 text goes on." in text
    assert "Lamps at dusk." in text
    assert f"/works/{work.pk}" in text  # the link back


def test_any_slug_serves_the_work(client, make_work):
    work = make_work(title="Harbour Lights")
    assert client.get(f"/downloads/{work.pk}/Some.Other.Title.html").status_code == 200
    assert client.get(f"/downloads/{work.pk}/x.mobi").status_code == 404


def test_a_built_book_is_reused_until_the_work_changes(client, make_work):
    work = make_work()
    body(client.get(epub_url(work)))
    (folder,), _ = default_storage.listdir("downloads")
    _, first = default_storage.listdir(f"downloads/{folder}")
    body(client.get(epub_url(work)))
    assert default_storage.listdir(f"downloads/{folder}")[1] == first
    chapter_add(
        work=work,
        editor=work.creators[0].user,
        data=ChapterFields(body="<p>A late addition.</p>", title="Coda"),
        post=True,
    )
    assert "A late addition." in epub_text(body(client.get(epub_url(work))))
    _, now = default_storage.listdir(f"downloads/{folder}")
    assert len(now) == 1 and now != first  # the stale build is gone


def test_adult_works_pass_through_the_same_notice(client, make_work):
    work = make_work(rating="Explicit")
    gate = client.get(epub_url(work))
    assert gate.status_code == 200
    assert "Continue to the work" in gate.content.decode()
    assert client.get(epub_url(work) + "?view_adult=true")["Content-Type"] == (
        "application/epub+zip"
    )


def test_members_only_works_need_a_login(client, make_user, make_work):
    work = make_work(restricted=True)
    response = client.get(epub_url(work))
    assert response.status_code == 302 and "/login" in response["Location"]
    client.force_login(make_user())
    assert client.get(epub_url(work)).status_code == 200


@pytest.mark.parametrize("state", ["draft", "hidden", "pending"])
def test_drafts_hidden_and_held_works_are_never_downloaded(client, make_work, state):
    work = make_work(post=state != "draft")
    if state == "hidden":
        Work.objects.filter(pk=work.pk).update(hidden_by_admin=True)
    if state == "pending":
        Work.objects.filter(pk=work.pk).update(approval="pending")
    client.force_login(work.creators[0].user)  # not even its creator
    assert client.get(epub_url(work)).status_code == 404
    assert 'li class="download"' not in client.get(work.get_absolute_url()).content.decode()


def test_a_download_counts_as_one_hit_per_reader(client, make_work, flush_views):
    work = make_work()
    for _ in range(2):
        body(client.get(epub_url(work), REMOTE_ADDR="10.0.0.9"))
    client.get(work.get_absolute_url(), REMOTE_ADDR="10.0.0.9")
    flush_views()
    assert Work.objects.get(pk=work.pk).hits == 1


def test_a_big_work_is_prepared_by_the_queue(client, make_work, settings):
    from fanfold.exports.tasks import build_download

    settings.DOWNLOAD_INLINE_WORDS = 1
    settings.TASKS = {"default": {"BACKEND": _dummy_backend()}}
    work = make_work(chapters=2)
    response = client.get(epub_url(work))
    assert response.status_code == 202
    page = response.content.decode()
    assert "this page will refresh" in page.lower() or "refresh by itself" in page
    assert 'http-equiv="refresh"' in page
    queued = _queued_calls()
    assert len(queued) == 1  # a refresh before the build does not queue it twice
    client.get(epub_url(work))
    assert len(_queued_calls()) == 1
    build_download.call(**queued[0].kwargs)  # what the worker does; then the page refreshes
    assert client.get(epub_url(work)).status_code == 200


def _dummy_backend() -> str:
    import django

    prefix = "django.tasks" if django.VERSION >= (6, 0) else "django_tasks"
    return f"{prefix}.backends.dummy.DummyBackend"


def _queued_calls():
    try:
        from django.tasks import default_task_backend
    except ImportError:  # Django 5.2
        from django_tasks import default_task_backend
    return list(default_task_backend.results)


def test_a_series_downloads_as_one_book_of_the_parts_the_reader_may_read(
    client, make_user, make_work
):
    author = make_user("author")
    make_work(author, title="First Light", series_title="Harbour Cycle")
    make_work(author, title="Locked Tower", series_title="Harbour Cycle", restricted=True)
    series = Series.objects.get(title="Harbour Cycle")
    links = menu(client, series.get_absolute_url())
    assert set(links) >= {"EPUB", "PDF", "HTML"}
    html_url = next(link.url for link in series_download_links(series) if link.format == "html")
    guest_book = body(client.get(html_url)).decode()
    assert "First Light" in guest_book and "Locked Tower" not in guest_book
    client.force_login(make_user("member"))
    member_book = epub_text(body(client.get(links["EPUB"])))
    assert "First Light" in member_book and "Locked Tower" in member_book
