"""A small archive with one of everything the URL walks need an id or a name for."""

from types import SimpleNamespace

import pytest

from fanfold.comments.services import CommentFields, comment_create


@pytest.fixture
def small_archive(make_user, make_work) -> SimpleNamespace:
    """An author's two-chapter work in a series with a freeform tag, a reader's comment
    on it, and a superuser."""
    author = make_user("author")
    work = make_work(author, chapters=2, series_title="A Series", freeforms=["Fluff"])
    chapter = work.chapters.first()
    comment = comment_create(
        work=work, user=make_user(), chapter=chapter, data=CommentFields(body="Lovely.")
    )
    return SimpleNamespace(
        author=author,
        staff=make_user("staffer", is_staff=True, is_superuser=True),
        work=work,
        chapter=chapter,
        comment=comment,
        series_id=work.serial_works.first().series_id,
    )
