"""The OPDS 1.2 catalogue at /opds: navigation feeds (newest, most kudos, fandoms A to Z,
a member's shelves), acquisition feeds of works with their downloads, and search.

Every list of works comes from the selectors the pages use (`works_filtered_listing`
through `listed_works`, the shelves' own selectors), for the viewer `catalogue_viewer`
finds; the same views answer under /opds/k/<feed key>/ so an app given that address
browses as its member without a password.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from fanfold.accounts.models import User
from fanfold.archive.models import SiteSettings
from fanfold.archive.params import parse_int
from fanfold.exports.links import DownloadLink, download_links, download_slug
from fanfold.exports.views import serve_work_download
from fanfold.feeds import entries
from fanfold.feeds.cache import feed_stamp, serve_cached
from fanfold.feeds.selectors import listed_works, work_versions, works_in_order
from fanfold.filters.listing import works_filtered_listing
from fanfold.filters.query import MAX_PAGE, PER_PAGE
from fanfold.opds import catalog
from fanfold.opds.auth import REALM, TooManyAttempts, Unauthorized, catalogue_viewer
from fanfold.opds.catalog import ACQUISITION, NAVIGATION, Catalog, Entry, Link
from fanfold.opds.shelves import SHELVES, shelf_work_ids
from fanfold.tags.models import Tag, TagType
from fanfold.tags.selectors import tag_by_url_name
from fanfold.works.models import Work

OTHER = "other"  # fandoms not starting with a Latin letter
LETTERS = [chr(c) for c in range(ord("A"), ord("Z") + 1)]


@dataclass
class Browse:
    """One catalogue request: who is browsing and how links back into the catalogue are
    spelled (with the feed key in them when the app came in with one)."""

    request: HttpRequest
    viewer: User | None
    secret: str | None

    @property
    def base(self) -> str:
        return f"{self.request.scheme}://{self.request.get_host()}"

    def absolute(self, path: str) -> str:
        return self.base + path

    def url(self, name: str, *args: object, query: str = "") -> str:
        if self.secret is not None:
            path = reverse(f"opds:key_{name}", args=[self.secret, *args])
        else:
            path = reverse(f"opds:{name}", args=args)
        return self.absolute(path) + (f"?{query}" if query else "")

    @property
    def page(self) -> int:
        return parse_int(self.request.GET.get("page"), minimum=1, maximum=MAX_PAGE) or 1

    def common_links(self, kind: str, *, up: str | None = None) -> list[Link]:
        links = [
            Link("self", self.absolute(self.request.get_full_path()), kind),
            Link("start", self.url("root"), NAVIGATION, "Catalogue"),
            Link("search", self.url("search_description"), catalog.OPENSEARCH, "Search"),
        ]
        if up:
            links.append(Link("up", up, NAVIGATION))
        return links


def _challenge() -> HttpResponse:
    response = HttpResponse(gettext("Log in with your user name and password."), status=401)
    response["WWW-Authenticate"] = f'Basic realm="{REALM}", charset="UTF-8"'
    return response


def catalogue_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Finds the viewer (see fanfold.opds.auth) and hands the view a Browse."""

    @require_safe
    @wraps(view)
    def wrapper(request: HttpRequest, *args, secret: str | None = None, **kwargs):
        try:
            viewer = catalogue_viewer(request, secret)
        except Unauthorized:
            return _challenge()
        except TooManyAttempts:
            response = HttpResponse(gettext("Too many failed logins; try again later."), status=429)
            response["Retry-After"] = "300"
            return response
        response = view(Browse(request, viewer, secret), *args, **kwargs)
        patch_vary_headers(response, ("Authorization", "Cookie"))
        return response

    return wrapper


def _respond(doc: Catalog) -> HttpResponse:
    return HttpResponse(doc.render(), content_type=doc.content_type)


def _catalog(b: Browse, kind: str, title: str, feed_id: str, links: list[Link], **kw) -> Catalog:
    name = SiteSettings.current().site_name
    return Catalog(
        kind=kind,
        title=title,
        id=b.absolute(feed_id),
        updated=kw.pop("updated", None) or timezone.now(),
        author=(name, b.absolute("/")),
        links=links,
        **kw,
    )


def _nav_entry(
    title: str, href: str, text: str, *, rel: str = "subsection", kind: str = ACQUISITION
) -> Entry:
    """An entry leading to another feed (a subsection, or a sorted list)."""
    return Entry(
        title=title,
        id=href,
        updated=timezone.now(),
        links=[Link(rel, href, kind)],
        text=text,
    )


# --- navigation -------------------------------------------------------------------------


@catalogue_view
def root(b: Browse) -> HttpResponse:
    site = SiteSettings.current().site_name
    items = [
        _nav_entry(
            gettext("Newest works"),
            b.url("newest"),
            gettext("The most recently posted works."),
            rel=catalog.SORT_NEW,
        ),
        _nav_entry(
            gettext("Most kudos"),
            b.url("popular"),
            gettext("The works with the most kudos."),
            rel=catalog.SORT_POPULAR,
        ),
        _nav_entry(
            gettext("Fandoms A–Z"),
            b.url("fandoms"),
            gettext("Browse works by fandom."),
            kind=NAVIGATION,
        ),
    ]
    for shelf, (lazy_title, lazy_text) in SHELVES.items():
        title, text = str(lazy_title), str(lazy_text)
        if b.viewer is None:
            text += " " + gettext("Log in with your user name and password to open it.")
        items.append(_nav_entry(title, b.url("shelf", shelf), text))
    links = b.common_links(NAVIGATION)
    links += [
        Link(catalog.SORT_NEW, b.url("newest"), ACQUISITION, gettext("Newest works")),
        Link(catalog.SORT_POPULAR, b.url("popular"), ACQUISITION, gettext("Most kudos")),
    ]
    doc = _catalog(b, NAVIGATION, f"{site} catalogue", reverse("opds:root"), links, entries=items)
    return _respond(doc)


def fandom_counts(viewer: User | None) -> list[tuple[Tag, int]]:
    """Every fandom with works `viewer` may see and how many: the works listing's own
    facet counts (so muted creators and standing exclusions count as on /works)."""
    listing = works_filtered_listing(viewer=viewer, params={"facets": "all"})
    counted = {e.tag_id: e.count for e in listing.result.facets.get(TagType.FANDOM.value, [])}
    tags = Tag.objects.filter(pk__in=list(counted)).only("pk", "name", "type")
    return sorted(((t, counted[t.pk]) for t in tags), key=lambda tc: tc[0].name.casefold())


def _letter(name: str) -> str:
    first = name[:1].upper()
    return first if first in LETTERS else OTHER


@catalogue_view
def fandoms(b: Browse) -> HttpResponse:
    by_letter: dict[str, int] = {}
    for tag, _count in fandom_counts(b.viewer):
        by_letter[_letter(tag.name)] = by_letter.get(_letter(tag.name), 0) + 1
    items = [
        _nav_entry(
            letter if letter != OTHER else "Other",
            b.url("fandom_letter", letter),
            f"{by_letter[letter]} fandom{'s' if by_letter[letter] != 1 else ''}",
            kind=NAVIGATION,
        )
        for letter in [*LETTERS, OTHER]
        if letter in by_letter
    ]
    links = b.common_links(NAVIGATION, up=b.url("root"))
    doc = _catalog(
        b, NAVIGATION, gettext("Fandoms A–Z"), reverse("opds:fandoms"), links, entries=items
    )
    return _respond(doc)


@catalogue_view
def fandom_letter(b: Browse, letter: str) -> HttpResponse:
    if letter not in LETTERS and letter != OTHER:
        raise Http404(_("No such letter."))
    items = [
        _nav_entry(
            tag.name,
            b.url("tag", tag.url_name),
            f"{count} work{'s' if count != 1 else ''}",
        )
        for tag, count in fandom_counts(b.viewer)
        if _letter(tag.name) == letter
    ]
    title = (
        gettext("Fandoms: {letter}").format(letter=letter)
        if letter != OTHER
        else gettext("Fandoms: other")
    )
    links = b.common_links(NAVIGATION, up=b.url("fandoms"))
    path = reverse("opds:fandom_letter", args=[letter])
    return _respond(_catalog(b, NAVIGATION, title, path, links, entries=items))


# --- acquisition feeds ------------------------------------------------------------------


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
