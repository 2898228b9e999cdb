"""The news as an Atom feed, from the same selector as the home page."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from fanfold.archive.models import SiteSettings
from fanfold.news.models import NewsPost
from fanfold.news.selectors import latest_news

FEED_POSTS = 20


class NewsFeed(Feed):
    feed_type = Atom1Feed

    def title(self) -> str:
        return _("{site_name}: news").format(site_name=SiteSettings.current().site_name)

    def subtitle(self) -> str:
        return _("News from the staff of {site_name}").format(
            site_name=SiteSettings.current().site_name
        )

    def link(self) -> str:
        return reverse("news:index")

    def items(self) -> list[NewsPost]:
        return latest_news(limit=FEED_POSTS)

    def item_title(self, item: NewsPost) -> str:
        return item.title

    def item_description(self, item: NewsPost) -> str:
        # Sanitised when it was written; Atom carries it as escaped HTML.
        return item.body_html

    def item_author_name(self, item: NewsPost) -> str:
        return item.author_name

    def item_pubdate(self, item: NewsPost) -> dt.datetime | None:
        return item.published_at

    def item_updateddate(self, item: NewsPost) -> dt.datetime:
        return item.updated_at
