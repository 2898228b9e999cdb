"""The catalogue's acquisition feeds: pages of works with their download links (newest,
most kudos, a tag, a search, a member's shelf), the OpenSearch description, and the
downloads a member's app fetches through the catalogue.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fanfold.archive.models import SiteSettings
from fanfold.exports.links import DownloadLink, download_links, download_slug
from fanfold.exports.views import serve_work_download
from fanfold.feeds import entries
from fanfold.feeds.cache import feed_stamp, serve_cached
from fanfold.feeds.selectors import listed_works, work_versions, works_in_order
from fanfold.filters.query import PER_PAGE
from fanfold.opds import catalog
from fanfold.opds.catalog import ACQUISITION, Entry, Link
from fanfold.opds.shelves import SHELVES, shelf_work_ids
from fanfold.opds.views.browse import Browse, _catalog, _challenge, _respond, catalogue_view
from fanfold.opds.views.navigation import _letter
from fanfold.tags.models import TagType
from fanfold.tags.selectors import tag_by_url_name
from fanfold.works.models import Work


def _acquire_url(b: Browse, work: Work, link: DownloadLink) -> str:
    """A guest's app gets the site's own download address; a member's app, which is known
    by its password or key rather than a browser session, gets the catalogue's, which
    serves the same book to the same member (see `download`)."""
    if b.viewer is None:
        return b.absolute(link.url)
    return b.url("download", work.pk, download_slug(work.title, f"work_{work.pk}"), link.format)


def work_entry(b: Browse, work: Work) -> Entry:
    links = [
        Link("alternate", b.absolute(work.get_absolute_url()), "text/html", gettext("Read online"))
    ]
    links += [
        Link(catalog.ACQUIRE, _acquire_url(b, work, d), d.mime_type, d.label)
        for d in download_links(work)
    ]
    for membership in work.serial_works.all():
        series = membership.series
        title = gettext("Part {position} of {title}").format(
            position=membership.position, title=series.title
        )
        links.append(Link("related", b.absolute(series.get_absolute_url()), "text/html", title))
    tags_scheme = b.absolute("/tags/")
    return Entry(
        title=work.title,
        id=b.absolute(work.get_absolute_url()),
        updated=work.updated_at or work.published_at or work.created_at,
        published=work.published_at,
        links=links,
        authors=[(str(p), b.absolute(p.get_absolute_url())) for p in work.creators],
        summary=entries.work_summary_text(work),
        content_html=entries.work_summary_html(work, base=b.base),
        categories=[(tags_scheme, t.name) for _, tags in entries.tag_groups(work) for t in tags],
        language=work.language,
        issued=work.published_at.date() if work.published_at else None,
    )


def _acquisition(
    b: Browse,
    *,
    title: str,
    feed_path: str,
    work_ids: list[int],
    total: int | None,
    has_next: bool,
    up: str,
) -> HttpResponse:
    """A page of works; rendered once per version of what it shows (fanfold.feeds.cache)."""
    page = b.page

    def render() -> HttpResponse:
        links = b.common_links(ACQUISITION, up=up)
        here = b.absolute(escape_uri_path(b.request.path))
        query = b.request.GET.copy()

        def at(number: int) -> str:
            query["page"] = str(number)
            return f"{here}?{query.urlencode()}"

        links.append(Link("first", at(1), ACQUISITION))
        if page > 1:
            links.append(Link("previous", at(page - 1), ACQUISITION))
        if has_next:
            links.append(Link("next", at(page + 1), ACQUISITION))
        works = works_in_order(work_ids)
        newest = max((w.updated_at for w in works if w.updated_at), default=None)
        doc = _catalog(
            b,
            ACQUISITION,
            title,
            feed_path,
            links,
            entries=[work_entry(b, w) for w in works],
            total=total,
            per_page=PER_PAGE,
            start_index=(page - 1) * PER_PAGE + 1,
            updated=newest,
        )
        return _respond(doc)

    viewer_id = b.viewer.pk if b.viewer else None
    stamp = feed_stamp("opds", viewer_id, title, total, has_next, work_versions(work_ids))
    return serve_cached(b.request, stamp, render, private=b.viewer is not None)


def _listing(
    b: Browse, title: str, name: str, params: dict, up: str, *args, **scope
) -> HttpResponse:
    result = listed_works(viewer=b.viewer, params={**params, "page": str(b.page)}, **scope)
    return _acquisition(
        b,
        title=title,
        feed_path=reverse(f"opds:{name}", args=args),
        work_ids=result.work_ids,
        # OpenSearch's totalResults is a count, so it is left out while the filter
        # index is being prepared and the database stopped counting ("more than N");
        # readers page on by the next link.
        total=None if result.total_is_lower_bound else result.total,
        has_next=result.has_next,
        up=up,
    )


@catalogue_view
def newest(b: Browse) -> HttpResponse:
    return _listing(b, gettext("Newest works"), "newest", {"sort": "posted"}, b.url("root"))


@catalogue_view
def popular(b: Browse) -> HttpResponse:
    return _listing(b, gettext("Most kudos"), "popular", {"sort": "kudos"}, b.url("root"))


@catalogue_view
def tag_works(b: Browse, name: str) -> HttpResponse:
    tag = tag_by_url_name(name, viewer=b.viewer)
    if tag is None:
        raise Http404(_("No such tag."))
    tag = tag.merger or tag
    up = b.url("fandom_letter", _letter(tag.name)) if tag.type == TagType.FANDOM else b.url("root")
    return _listing(b, tag.name, "tag", {}, up, tag.url_name, fixed_tag=tag)


@catalogue_view
def search(b: Browse) -> HttpResponse:
    q = b.request.GET.get("q", "")
    title = gettext("Search: {query}").format(query=q) if q else gettext("Search")
    return _listing(b, title, "search", {"q": q}, b.url("root"))


@catalogue_view
def shelf(b: Browse, shelf: str) -> HttpResponse:
    if shelf not in SHELVES:
        raise Http404(_("No such shelf."))
    if b.viewer is None:
        return _challenge()
    ids = shelf_work_ids(shelf, b.viewer)
    page = Paginator(ids, PER_PAGE).get_page(b.page)
    return _acquisition(
        b,
        title=str(SHELVES[shelf][0]),
        feed_path=reverse("opds:shelf", args=[shelf]),
        work_ids=list(page.object_list),
        total=len(ids),
        has_next=page.has_next(),
        up=b.url("root"),
    )


@catalogue_view
def search_description(b: Browse) -> HttpResponse:
    site = SiteSettings.current().site_name
    context = {
        "short_name": site[:16],
        "site": site,
        "template": b.url("search") + "?q={searchTerms}",
        "type": ACQUISITION,
    }
    body = render_to_string("opds/opensearch.xml", context)
    return HttpResponse(body, content_type=f"{catalog.OPENSEARCH};charset=utf-8")


@catalogue_view
def download(b: Browse, work_id: int, slug: str, format: str) -> HttpResponse:
    """A book for the member the catalogue knows, by the same rules as the site's download
    (fanfold.exports.views); their "show adult works" preference stands for the notice an
    app cannot show. Guests are sent to the site's own address."""
    if b.viewer is None:
        return redirect("exports:work", work_id, slug, format)
    return serve_work_download(
        b.request,
        viewer=b.viewer,
        work_id=work_id,
        slug=slug,
        format=format,
        consented=b.viewer.view_adult,
    )
