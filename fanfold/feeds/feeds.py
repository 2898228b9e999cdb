"""Atom feeds (Django's syndication framework) over the listings' own selectors.

Public feeds are what a guest sees, whoever asks: they are shared, cached and pasted
into readers, so members-only works never appear in them. Private feeds (a member's
saved filters and subscriptions) are opened by the member's secret feed key and list
what that member may read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _

from fanfold.accounts.models import User
from fanfold.accounts.selectors import public_users
from fanfold.archive.models import SiteSettings
from fanfold.challenges.models import Challenge
from fanfold.challenges.selectors import challenge_response_ids
from fanfold.feeds import entries
from fanfold.feeds.cache import feed_stamp, serve_cached
from fanfold.feeds.selectors import (
    creator_work_ids,
    listed_works,
    member_for_feed_secret,
    saved_filter_work_ids,
    series_work_ids,
    subscribed_chapters,
    work_versions,
    works_in_order,
)
from fanfold.filters.models import SavedFilter
from fanfold.tags.selectors import tag_by_url_name
from fanfold.works.models import Chapter, Series, Work
from fanfold.works.selectors import LoginRequired, WorkNotFound, work_for_reader


@dataclass
class FeedScope:
    """One feed's subject, worked out once per request: its title and page, and the works
    (or chapters) it lists; `parts` is everything else its rendering depends on."""

    title: str
    link: str
    subtitle: str
    base: str
    work_ids: list[int] = field(default_factory=list)
    chapters: list[Chapter] | None = None
    parts: tuple = ()
    redirect_to: str | None = None

    @property
    def stamp(self) -> str:
        if self.chapters is not None:
            shown = [(c.pk, c.work.render_version) for c in self.chapters]
        else:
            shown = work_versions(self.work_ids)
        return feed_stamp(self.title, self.link, self.subtitle, self.parts, shown)


def _base(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _site() -> str:
    return SiteSettings.current().site_name


class CachedFeed(Feed):
    """A feed rendered once per version of what it shows (see fanfold.feeds.cache).
    Subclasses build a FeedScope in `get_object`; instances are shared by every request,
    so nothing per-request is kept on `self`."""

    feed_type = Atom1Feed
    private = False

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        scope = self.get_object(request, *args, **kwargs)
        if scope.redirect_to:
            return redirect(scope.redirect_to)
        return serve_cached(
            request, scope.stamp, lambda: self._render(request, scope), private=self.private
        )

    def _render(self, request: HttpRequest, scope: FeedScope) -> HttpResponse:
        feedgen = self.get_feed(scope, request)
        response = HttpResponse(content_type=feedgen.content_type)
        response["Last-Modified"] = http_date(feedgen.latest_post_date().timestamp())
        feedgen.write(response, "utf-8")
        return response

    def title(self, scope: FeedScope) -> str:
        return scope.title

    def link(self, scope: FeedScope) -> str:
        return scope.link

    def subtitle(self, scope: FeedScope) -> str:
        return scope.subtitle


class WorkFeed(CachedFeed):
    """Entries are works: title and creators, summary with tags and statistics."""

    def items(self, scope: FeedScope) -> list[Work]:
        works = works_in_order(scope.work_ids)
        for work in works:
            work.feed_base = scope.base  # item hooks get the item alone
        return works

    def item_title(self, work: Work) -> str:
        return _("{title} by {creators}").format(
            title=work.title, creators=entries.creator_names(work)
        )

    def item_link(self, work: Work) -> str:
        return work.get_absolute_url()

    def item_description(self, work: Work) -> str:
        return entries.work_summary_html(work, base=work.feed_base)

    def item_author_name(self, work: Work) -> str:
        return entries.creator_names(work)

    def item_pubdate(self, work: Work) -> dt.datetime | None:
        return work.published_at

    def item_updateddate(self, work: Work) -> dt.datetime:
        return work.updated_at or work.published_at or work.created_at

    def item_categories(self, work: Work) -> list[str]:
        return [tag.name for _, tags in entries.tag_groups(work) for tag in tags]


class ChapterFeed(CachedFeed):
    """Entries are chapters: new chapters of a work, or of the works a member follows."""

    def items(self, scope: FeedScope) -> list[Chapter]:
        chapters = scope.chapters or []
        works = {w.pk: w for w in works_in_order(list({c.work_id for c in chapters}))}
        for chapter in chapters:
            chapter.feed_work = works[chapter.work_id]
            chapter.feed_base = scope.base
        return chapters

    def item_title(self, chapter: Chapter) -> str:
        return f"{chapter.feed_work.title}: {chapter.display_title}"

    def item_link(self, chapter: Chapter) -> str:
        return chapter.get_absolute_url()

    def item_description(self, chapter: Chapter) -> str:
        return entries.chapter_summary_html(chapter, chapter.feed_work, base=chapter.feed_base)

    def item_author_name(self, chapter: Chapter) -> str:
        return entries.creator_names(chapter.feed_work)

    def item_pubdate(self, chapter: Chapter) -> dt.datetime | None:
        return chapter.published_at

    def item_updateddate(self, chapter: Chapter) -> dt.datetime:
        return chapter.published_at or chapter.edited_at


# --- public feeds -----------------------------------------------------------------------


class TagFeed(WorkFeed):
    """A tag's works, through its synonyms and sub-tags, as on the tag's works page."""

    def get_object(self, request: HttpRequest, name: str) -> FeedScope:
        tag = tag_by_url_name(name, viewer=None)
        if tag is None:
            raise Http404(_("No such tag."))
        base = _base(request)
        if tag.merger_id:
            # A synonym's works live under its canonical tag, and so does its feed.
            url = reverse("feeds:tag", args=[tag.merger.url_name])
            return FeedScope("", "", "", base, redirect_to=url)
        ids = listed_works(viewer=None, fixed_tag=tag).work_ids
        return FeedScope(
            title=f"{_site()}: {tag.name}",
            link=tag.get_works_url(),
            subtitle=_("The latest works tagged {tag}.").format(tag=tag.name),
            base=base,
            work_ids=ids,
            parts=(tag.pk,),
        )


class CreatorFeed(WorkFeed):
    def get_object(self, request: HttpRequest, username: str) -> FeedScope:
        owner = get_object_or_404(public_users(), username__iexact=username)
        ids = listed_works(viewer=None, within_work_ids=creator_work_ids(owner)).work_ids
        return FeedScope(
            title=_("{site}: works by {username}").format(site=_site(), username=owner.username),
            link=reverse("works:user_works", args=[owner.username]),
            subtitle=_("The latest works by {username}.").format(username=owner.username),
            base=_base(request),
            work_ids=ids,
            parts=(owner.pk,),
        )


class SeriesFeed(WorkFeed):
    def get_object(self, request: HttpRequest, series_id: int) -> FeedScope:
        # The series' own rule, for a guest: a series with no part guests may read
        # does not exist here (its title would tell of those works).
        series = get_object_or_404(Series.objects.readable_by(None), pk=series_id)
        ids = listed_works(viewer=None, within_work_ids=series_work_ids(series)).work_ids
        return FeedScope(
            title=f"{_site()}: {series.title}",
            link=series.get_absolute_url(),
            subtitle=_("Works in the series {title}.").format(title=series.title),
            base=_base(request),
            work_ids=ids,
            parts=(series.pk,),
        )


class ChallengeFeed(WorkFeed):
    def get_object(self, request: HttpRequest, challenge_id: int) -> FeedScope:
        challenge = get_object_or_404(Challenge, pk=challenge_id)
        within = challenge_response_ids(challenge=challenge)
        ids = listed_works(viewer=None, within_work_ids=within).work_ids
        return FeedScope(
            title=f"{_site()}: {challenge.title}",
            link=challenge.get_absolute_url(),
            subtitle=_("Responses to the challenge {title}.").format(title=challenge.title),
            base=_base(request),
            work_ids=ids,
            parts=(challenge.pk,),
        )


class WorkChaptersFeed(ChapterFeed):
    """A work's chapters, newest first: how readers hear of a new chapter."""

    def get_object(self, request: HttpRequest, work_id: int) -> FeedScope:
        try:
            work, _gate = work_for_reader(viewer=None, work_id=work_id)
        except (WorkNotFound, LoginRequired):
            # A guest's view: a members-only work is missing here, not a login page.
            raise Http404(_("No such work.")) from None
        chapters = list(
            work.chapters.public()
            .defer("body", "body_html")
            .select_related("work")
            .order_by("-position")[:50]
        )
        return FeedScope(
            title=f"{_site()}: {work.title}",
            link=work.get_absolute_url(),
            subtitle=_("New chapters of {title}.").format(title=work.title),
            base=_base(request),
            chapters=chapters,
            parts=(work.pk, work.render_version),
        )


# --- private feeds ----------------------------------------------------------------------


def _member(secret: str) -> User:
    member = member_for_feed_secret(secret)
    if member is None:
        raise Http404(_("No such feed."))
    return member


class SavedFilterFeed(WorkFeed):
    """A member's saved filter as a feed, with what that member may read."""

    private = True

    def get_object(self, request: HttpRequest, secret: str, saved_id: int) -> FeedScope:
        member = _member(secret)
        saved = SavedFilter.objects.filter(user=member, pk=saved_id).first()
        ids = saved_filter_work_ids(member=member, saved=saved) if saved else None
        if saved is None or ids is None:
            raise Http404(_("No such feed."))
        return FeedScope(
            title=f"{_site()}: {saved.name}",
            link=saved.url,
            subtitle=_("The latest works matching {username}'s filter “{name}”.").format(
                username=member.username, name=saved.name
            ),
            base=_base(request),
            work_ids=ids,
            parts=(member.pk, saved.pk, saved.path, saved.query),
        )


class SubscriptionsFeed(ChapterFeed):
    """New chapters (and new works' first chapters) of everything a member follows."""

    private = True

    def get_object(self, request: HttpRequest, secret: str) -> FeedScope:
        member = _member(secret)
        return FeedScope(
            title=_("{site}: {username}'s subscriptions").format(
                site=_site(), username=member.username
            ),
            link=reverse("subscriptions:list"),
            subtitle="New chapters of the works, series and creators you subscribe to.",
            base=_base(request),
            chapters=subscribed_chapters(member),
            parts=(member.pk,),
        )
