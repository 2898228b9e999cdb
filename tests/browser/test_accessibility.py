"""axe-core over every page type a guest, a member and staff reach, in the default, dark
and sepia themes and on a 390-pixel phone: any violation of any impact fails. The same
pages run again with the interface in German, in the default theme at desktop and phone
widths: the words change there (longer labels, other headings), the themes' colours do
not, so the dark and sepia passes are not repeated.

One browser context and one live server for the whole walk (a context per page would
cost more than the checks): the viewer changes by logging in, the theme by the guest's
cookie or the member's saved preference."""

from __future__ import annotations

import re

import pytest

from fanfold.accounts.models import User
from fanfold.bookmarks.services import BookmarkFields, bookmark_create
from fanfold.comments.services import CommentFields, comment_create
from fanfold.history.services import reading_mark_for_later, reading_record
from fanfold.subscriptions.services import subscription_create
from fanfold.works.models import Chapter
from tests.browser.axe import COLOUR_RULES, LAYOUT_RULES, axe_source, axe_violations
from tests.browser.steps import PASSWORD, english, follow, log_in, log_out, words_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# (theme, width, rules): every rule once, then what a theme or a phone's width changes.
VARIANTS = [
    ("auto", 1280, None),
    ("dark", 1280, COLOUR_RULES),
    ("sepia", 1280, COLOUR_RULES),
    ("auto", 390, LAYOUT_RULES),
]
# Per interface language, the variants it runs.
LANGUAGES = {
    "en": VARIANTS,
    "de": [("auto", 1280, None), ("auto", 390, LAYOUT_RULES)],
}


def _archive(make_user, make_work):
    author = make_user("author", password=PASSWORD)
    reader = make_user("reader", password=PASSWORD)
    make_user("keeper", password=PASSWORD, is_staff=True, is_superuser=True)
    work = make_work(
        author,
        title="Lamp Light",
        chapters=2,
        characters=["Ada Vell"],
        relationships=["Ada Vell/Bo Lark"],
        freeforms=["Fluff"],
        summary="<p>The keepers trade watches.</p>",
        notes="<p>For the harbour crew.</p>",
    )
    make_work(author, title="Storm Night", warnings=("Graphic Depictions Of Violence",))
    adult = make_work(author, title="Night Watch", rating="Explicit")
    chapter = work.chapters.order_by("position").last()
    comment_create(work=work, user=reader, chapter=chapter, data=CommentFields(body="Lovely."))
    comment_create(work=work, user=author, data=CommentFields(body="Thank you!"))
    bookmark_create(user=reader, work=work, data=BookmarkFields(notes="Cosy.", tags=["Comfort"]))
    reading_record(user=reader, work=work, chapter_position=2)
    reading_mark_for_later(user=reader, work=adult, marked=True)
    subscription_create(user=reader, work=work)
    return work, chapter, adult


def _submit_without_browser_checks(page, button: str) -> None:
    # The browser's own required-field checks would stop the form before the server's
    # error messages, which are what this page state is about.
    page.evaluate("document.querySelectorAll('form').forEach(f => f.noValidate = true)")
    follow(page, page.get_by_role("button", name=button, exact=True).first)


def _open_folds(page) -> None:
    # Folded sections (filters, facets, reveals) are checked open, as a reader opens them.
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")


def _journeys(work, chapter, adult, say=english) -> dict[str, list]:
    """Per viewer, the pages to check: a URL, or a URL and a step that changes its state
    (its labels read through `say`, the interface's words for them)."""
    w = f"/works/{work.pk}"

    def failed_login(page):
        page.get_by_label(say("User name")).fill("nobody")
        page.get_by_label(say("Password")).fill("wrong-password-here")
        follow(page, page.get_by_role("button", name=say("Log in")))

    def empty_work(page):
        _submit_without_browser_checks(page, say("Post"))

    def untitled_edit(page):
        page.get_by_label(say("Title"), exact=True).fill("")
        _submit_without_browser_checks(page, say("Update"))

    def repeated_positions(page):
        # The reorder page with its error shown: two chapters given the same place.
        page.locator("ol.chapter-order input[type=number]").first.fill("2")
        follow(page, page.get_by_role("button", name=say("Save order")))

    only_chapter = Chapter.objects.filter(work__title="Storm Night").get()

    return {
        "": [
            "/",
            "/works",
            "/tags/Fluff",
            "/tags/Fluff/works",
            "/fandoms",
            "/fandoms?letter=l",
            "/tags/search?q=ada",
            "/people/search?q=auth",
            "/works?q=lamp",
            w,
            f"{w}/chapters/{chapter.pk}",
            f"{w}/navigate",
            f"{w}?view_full_work=true",
            f"/works/{adult.pk}",
            "/login",
            ("/login", failed_login),
            "/signup",
        ],
        "author": [
            ("/works/new", empty_work),
            (f"{w}/edit", untitled_edit),
            "/inbox",
            f"{w}/preview",
            f"{w}/chapters/manage",
            (f"{w}/chapters/manage", repeated_positions),
            f"{w}/chapters/{chapter.pk}/delete",
            f"/works/{only_chapter.work_id}/chapters/{only_chapter.pk}/delete",
            f"{w}/delete",
            f"{w}/chapters/new",
        ],
        "reader": [
            w,
            "/users/reader/bookmarks",
            "/history",
            "/subscriptions",
            "/preferences",
        ],
        "keeper": [
            "/staff/",
            "/staff/reports",
            "/tags/wrangle",
            "/tags/Fluff/edit",
            "/moderation/works",
            "/staff/audit",
            "/staff/members",
            "/staff/settings",
        ],
    }


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_page_type_passes_axe_in_every_theme_and_on_a_phone(
    page, live_server, make_user, make_work, language
):
    axe_source()  # skip (or fail in CI) before building anything when axe is missing
    say = words_in(language)
    journeys = _journeys(*_archive(make_user, make_work), say=say)
    # Guests by the language menu's cookie, members by their saved preference.
    page.context.add_cookies(
        [{"name": "fanfold_language", "value": language, "url": live_server.url}]
    )
    User.objects.update(language=language)
    failures: list[str] = []
    for viewer, steps in journeys.items():
        if viewer:
            log_in(page, viewer, say=say)
        for theme, width, rules in LANGUAGES[language]:
            page.set_viewport_size({"width": width, "height": 900})
            if viewer:
                User.objects.filter(username=viewer).update(theme=theme)
            else:
                page.context.add_cookies(
                    [{"name": "fanfold_theme", "value": theme, "url": live_server.url}]
                )
            for step in steps:
                url, act = step if isinstance(step, tuple) else (step, None)
                page.goto(url)
                if act:
                    act(page)
                _open_folds(page)
                assert page.locator("html").get_attribute("lang") == language, page.url
                label = f"{language} {viewer or 'guest'} {theme} {width}px {page.url}"
                failures += [f"{label}: {v}" for v in axe_violations(page, rules=rules)]
        if viewer:
            log_out(page, say=say)
    summary = sorted({re.sub(r" at .*", "", f.split(": ", 1)[1]) for f in failures})
    assert not failures, f"{len(failures)} violations; rules: {summary}\n" + "\n".join(
        failures[:60]
    )
