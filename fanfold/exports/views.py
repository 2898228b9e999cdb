"""Download views: the same visibility, adult notice and hit counting as reading pages,
then a cached file, a book built now, or a "preparing" page while the queue builds it."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from fanfold.accounts.models import User
from fanfold.accounts.selectors import signed_in
from fanfold.exports import cache as files
from fanfold.exports.base import DownloadFormat
from fanfold.exports.links import download_slug
from fanfold.exports.registry import format_named
from fanfold.exports.selectors import Downloadable, downloadable_series, downloadable_work
from fanfold.exports.services import (
    BuildRequest,
    builds_inline,
    download_build,
    download_enqueue,
)
from fanfold.works.hits import record_hit
from fanfold.works.models import Series, Work
from fanfold.works.selectors import LoginRequired, WorkNotFound, work_page
from fanfold.works.views.reading import adult_consent

ADULT_REFUSAL = (
    "This work is for adults. To download it from an e-reader app, turn on "
    '"show adult works without the warning page" in your preferences on the archive.'
)
# The "preparing" page reloads itself this often (seconds).
REFRESH_SECONDS = 5
FILE_BLOCK = 256 * 1024


def _format(name: str) -> DownloadFormat:
    fmt = format_named(name)
    if fmt is None:
        raise Http404(_("This archive does not offer that format."))
    return fmt


@require_safe
def work_download(request: HttpRequest, work_id: int, slug: str, format: str) -> HttpResponse:
    return serve_work_download(
        request, viewer=signed_in(request.user), work_id=work_id, slug=slug, format=format
    )


def serve_work_download(
    request: HttpRequest,
    *,
    viewer: User | None,
    work_id: int,
    slug: str,
    format: str,
    consented: bool | None = None,
) -> HttpResponse:
    """A work's book for `viewer`. Callers that cannot show the adult notice (the OPDS
    catalogue, whose apps follow links without a browser) pass `consented`: the member's
    own standing choice; an adult work without it is refused with a sentence saying why."""
    fmt = _format(format)
    try:
        book = downloadable_work(viewer=viewer, work_id=work_id)
    except LoginRequired:
        return redirect_to_login(request.get_full_path())
    except WorkNotFound:
        raise Http404(_("No such work.")) from None
    if consented is None:
        if not adult_consent(request, book.adult, book.can_edit):
            work = Work.objects.select_related("rating").get(pk=work_id)
            return _gate(request, work)
    elif book.adult and not book.can_edit and not consented:
        return HttpResponse(ADULT_REFUSAL, status=403, content_type="text/plain; charset=utf-8")
    return _deliver(request, book, fmt, slug, hit_work=None if book.can_edit else work_id)


@require_safe
def series_download(request: HttpRequest, series_id: int, slug: str, format: str) -> HttpResponse:
    fmt = _format(format)
    try:
        book = downloadable_series(viewer=signed_in(request.user), series_id=series_id)
    except Series.DoesNotExist:
        raise Http404(_("No such series.")) from None
    if not adult_consent(request, book.adult):
        series = Series.objects.get(pk=series_id)
        return render(
            request,
            "exports/series_gate.html",
            {"title": series.title, "proceed_url": request.path + "?view_adult=true"},
        )
    return _deliver(request, book, fmt, slug, hit_work=None)


def _gate(request: HttpRequest, work: Work) -> HttpResponse:
    # The reading pages' own notice, continuing to this download.
    page = work_page(work=work, can_edit=False)
    context = {"page": page, "work": work, "proceed_url": request.path + "?view_adult=true"}
    return render(request, "works/adult_gate.html", context)


def _deliver(
    request: HttpRequest,
    book: Downloadable,
    fmt: DownloadFormat,
    slug: str,
    hit_work: int | None,
) -> HttpResponse:
    name = book.name(fmt.name)
    if not files.cached(name):
        build = BuildRequest(
            format=fmt.name,
            name=name,
            work_id=book.work_id,
            series_id=book.series_id,
            work_ids=book.work_ids,
        )
        if builds_inline(words=book.word_count(), format_name=fmt.name):
            download_build(build)
        else:
            download_enqueue(build)
            if not files.cached(name):  # an immediate queue (tests) has built it already
                return _preparing(request, fmt)
    if hit_work is not None:
        record_hit(request, hit_work)
    # The file is named as the link named it (the slug is the title's); no query for it.
    filename = f"{download_slug(slug, book.subject.replace('-', '_'))}.{fmt.name}"
    response = FileResponse(default_storage.open(name, "rb"), as_attachment=True, filename=filename)
    # Books are hundreds of KiB: big reads keep the Python loop per request short (a
    # server with wsgi.file_wrapper sends the file itself).
    response.block_size = FILE_BLOCK
    response["Content-Type"] = fmt.mime_type
    # The URL serves a new file after an edit: shared caches must ask again.
    response["Cache-Control"] = "private, no-cache"
    return response


def _preparing(request: HttpRequest, fmt: DownloadFormat) -> HttpResponse:
    response = render(
        request,
        "exports/preparing.html",
        {"format": fmt, "refresh": REFRESH_SECONDS},
        status=202,
    )
    response["Retry-After"] = str(REFRESH_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
