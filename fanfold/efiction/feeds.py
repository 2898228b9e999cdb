"""rss.php: eFiction's feed of the 20 most recently updated stories, as RSS 2.0."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.translation import gettext

from fanfold.archive.models import SiteSettings
from fanfold.efiction.selectors import recent_works
from fanfold.works.models import Work


class RecentStoriesFeed(Feed):
    description_template = None

    def title(self) -> str:
        return gettext("{site_name}: recently updated").format(
            site_name=SiteSettings.current().site_name
        )

    def link(self) -> str:
        return reverse("archive:home")

    def description(self) -> str:
        return gettext("The most recently updated works.")

    def items(self) -> list[Work]:
        return recent_works(20)

    def item_title(self, item: Work) -> str:
        authors = ", ".join(pseud.name for pseud in item.creators)
        rating = item.rating.name if item.rating else "Not Rated"
        return f"{item.title} by {authors} [{rating}]"

    def item_description(self, item: Work) -> str:
        return item.summary_html

    def item_pubdate(self, item: Work):
        return item.updated_at or item.published_at

    def item_link(self, item: Work) -> str:
        return item.get_absolute_url()
