"""What every catalogue view shares: the `Browse` it is handed (who is browsing, and how
links back into the catalogue are spelled), the `catalogue_view` decorator that finds
the viewer or asks for a password, and the builders of a feed and of a navigation entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from fanfold.accounts.models import User
from fanfold.archive.models import SiteSettings
from fanfold.archive.params import parse_int
from fanfold.filters.query import MAX_PAGE
from fanfold.opds import catalog
from fanfold.opds.auth import REALM, TooManyAttempts, Unauthorized, catalogue_viewer
from fanfold.opds.catalog import ACQUISITION, NAVIGATION, Catalog, Entry, Link


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
