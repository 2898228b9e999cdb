from functools import partial

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from fanfold.accounts.models import User
from fanfold.accounts.selectors import signed_in
from fanfold.accounts.services import user_set_language
from fanfold.archive.errors import NotFound
from fanfold.archive.health import health
from fanfold.archive.language import COOKIE_MAX_AGE, supported
from fanfold.archive.returns import message_at, redirect_back, return_to
from fanfold.archive.selectors import FONT_SIZES, SIZE_COOKIE, THEME_COOKIE, THEMES
from fanfold.news.selectors import latest_news
from fanfold.works import pagecache
from fanfold.works.limits import CHAPTER_MAX
from fanfold.works.memberlistings import serve_listing
from fanfold.works.memberpages import cache_context
from fanfold.works.selectors import featured_blurbs, works_listing


def home(request: HttpRequest) -> HttpResponse:
    return serve_listing(request, "home", partial(_render_home, request), sidebar=False)


def _render_home(
    request: HttpRequest, markers: pagecache.Markers | None = None, viewer: User | None = None
) -> HttpResponse:
    """The home page; with `viewer` (a stand-in: fanfold.works.memberlistings) the
    members' shared rendering."""
    who = viewer or signed_in(request.user)
    listing = works_listing(viewer=who, page=request.GET.get("page"))
    featured = featured_blurbs(viewer=who)
    context = {"listing": listing, "featured": featured, "news": latest_news()}
    return render(request, "archive/home.html", cache_context(context, markers, viewer))


@require_POST
def display(request: HttpRequest) -> HttpResponse:
    """Theme and text size. Members' choice is saved to their preferences; guests get
    cookies. A POST with a CSRF token like every change (cached pages get each visitor's
    token from the page cache), so no other site can change it with an image tag."""
    theme = request.POST.get("theme", "auto")
    size = request.POST.get("size", "100")
    theme = theme if theme in THEMES else "auto"
    size_value = int(size) if size in {str(s) for s in FONT_SIZES} else 100
    # Back to the same page, at the form, with the confirmation beside it.
    response = redirect_back(request, "/", anchor="display")
    message_at(request, messages.SUCCESS, gettext("Display settings saved."), place="display")
    if request.user.is_authenticated:
        request.user.theme, request.user.font_size = theme, size_value
        request.user.save(update_fields=["theme", "font_size"])
    else:
        year = 60 * 60 * 24 * 365
        response.set_cookie(THEME_COOKIE, theme, max_age=year, samesite="Lax")
        response.set_cookie(SIZE_COOKIE, str(size_value), max_age=year, samesite="Lax")
    return response


@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """The footer's language menu: a member's choice is saved to their preferences, a
    guest's to a cookie; then back to the page (same site only), now in that language."""
    chosen = supported(request.POST.get("language")) or ""
    response = HttpResponseRedirect(return_to(request, "/"))
    if not chosen:
        return response
    if request.user.is_authenticated:
        user_set_language(user=request.user, language=chosen)
    else:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, chosen, max_age=COOKIE_MAX_AGE, samesite="Lax"
        )
    return response


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 400 page, except for a body over DATA_UPLOAD_MAX_MEMORY_SIZE: that one
    tells the author what happened and how to get their text back (413)."""
    if not isinstance(exception, RequestDataTooBig):
        return defaults.bad_request(request, exception)
    context = {
        "limit_mb": f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1_000_000:.1f}",
        "chapter_max": f"{CHAPTER_MAX:,}",
    }
    return render(request, "archive/too_large.html", context, status=413)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 404 page in the reader's language and the site's layout; the message of a
    `NotFound` (already translated) says what was not found."""
    message = str(exception) if isinstance(exception, NotFound) else ""
    return render(request, "archive/not_found.html", {"message": message}, status=404)


def forbidden(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 403 page; our PermissionDenied messages are translated where raised."""
    message = str(exception.args[0]) if exception.args and exception.args[0] else ""
    return render(request, "archive/forbidden.html", {"message": message}, status=403)


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "archive/rate_limited.html", status=429)


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when this app server can serve (database, both caches, the task queue and the
    filter index), 503 naming what cannot. Not rate-limited and not cached: a load
    balancer asks often, and must see the answer of now."""
    ok, checks = health()
    return JsonResponse({"ok": ok, "checks": checks}, status=200 if ok else 503)
