from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from fanfold.archive.selectors import FONT_SIZES, SIZE_COOKIE, THEME_COOKIE, THEMES
from fanfold.news.selectors import latest_news
from fanfold.works.selectors import featured_blurbs, works_listing


def home(request: HttpRequest) -> HttpResponse:
    listing = works_listing(viewer=request.user, page=request.GET.get("page"))
    featured = featured_blurbs(viewer=request.user)
    return render(
        request,
        "archive/home.html",
        {"listing": listing, "featured": featured, "news": latest_news()},
    )


def display(request: HttpRequest) -> HttpResponse:
    """Theme and text size. Members' choice is saved to their preferences; guests get
    cookies. A plain GET form so it works from cached pages without a CSRF token; it
    only changes how pages look to this browser."""
    theme = request.GET.get("theme", "auto")
    size = request.GET.get("size", "100")
    theme = theme if theme in THEMES else "auto"
    size_value = int(size) if size.isdigit() and int(size) in FONT_SIZES else 100
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    response = redirect(target)
    if request.user.is_authenticated:
        request.user.theme, request.user.font_size = theme, size_value
        request.user.save(update_fields=["theme", "font_size"])
    else:
        year = 60 * 60 * 24 * 365
        response.set_cookie(THEME_COOKIE, theme, max_age=year, samesite="Lax")
        response.set_cookie(SIZE_COOKIE, str(size_value), max_age=year, samesite="Lax")
    return response


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "archive/rate_limited.html", status=429)
