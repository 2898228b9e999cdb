"""News test fixtures: a member who may write news, and posts made through the service."""

from __future__ import annotations

import pytest

from fanfold.news.services import NewsPostFields, news_post_create
from fanfold.staff.roles import Role


@pytest.fixture
def writer(make_user):
    """A moderator: the narrowest role that may post news (and moderate comments)."""
    return make_user("newsdesk", roles=[Role.MODERATOR])


@pytest.fixture
def make_post(writer):
    def make(title: str = "Server move on Sunday", **fields) -> object:
        data = NewsPostFields(
            title=title,
            body=fields.pop("body", "The archive will be read-only for an hour."),
            text_format=fields.pop("text_format", "plain"),
            published=fields.pop("published", True),
            comments_enabled=fields.pop("comments_enabled", True),
        )
        return news_post_create(author=fields.pop("author", writer), data=data)

    return make
