"""Reading news: the list, one post, the home page's latest posts. All through
`NewsPost.objects.visible_to`, the one visibility rule for news."""

from __future__ import annotations

from django.core.paginator import Page, Paginator

from fanfold.accounts.models import User
from fanfold.news.models import NewsPost

POSTS_PER_PAGE = 10
HOME_POSTS = 3


def news_page(*, viewer: User | None, page: str | int | None) -> Page:
    """A page of posts, newest first (a malformed or too-large page number gives the
    nearest real page)."""
    posts = NewsPost.objects.visible_to(viewer).newest_first().select_related("author")
    return Paginator(posts, POSTS_PER_PAGE).get_page(page)


def news_post_for_viewer(*, post_id: int, viewer: User | None) -> NewsPost | None:
    return NewsPost.objects.visible_to(viewer).select_related("author").filter(pk=post_id).first()


def latest_news(*, limit: int = HOME_POSTS) -> list[NewsPost]:
    """The newest published posts, for the home page and the feed (what guests see,
    whoever is looking, so the home page reads the same for everyone)."""
    return list(NewsPost.objects.visible_to(None).newest_first().select_related("author")[:limit])
