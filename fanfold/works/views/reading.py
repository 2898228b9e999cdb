"""Reading pages: a work, a chapter, the whole work, the chapter index, listings."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext

from fanfold.accounts.models import Pseud, User
from fanfold.accounts.selectors import signed_in
from fanfold.archive.errors import NotFound
from fanfold.archive.models import SiteSettings
from fanfold.archive.params import parse_id, parse_int
from fanfold.archive.returns import here
from fanfold.archive.selectors import reader_display
from fanfold.filters.listing import works_filtered_listing
from fanfold.history.services import reading_record
from fanfold.works import memberpages, pagecache
from fanfold.works.feedback import feedback_context
from fanfold.works.hits import record_hit
from fanfold.works.memberlistings import serve_listing
from fanfold.works.models import Chapter, Work
from fanfold.works.selectors import (
    LoginRequired,
    ReadingStamp,
    WorkNotFound,
    WorkPage,
    guest_reading_stamp,
    work_for_reader,
    work_page,
)

ADULT_SESSION_KEY = "view_adult"
# Anchors under a work whose flash messages show there (fanfold.archive.returns).
FEEDBACK_PLACES = ("kudos", "work-actions", "comments", "comment_")


def _load(request: HttpRequest, work_id: int) -> tuple[Work, bool]:
    """The work and whether the viewer may edit it; 404 when they may not see it.
    LoginRequired passes through for the caller to send a guest to the login page."""
    try:
        return work_for_reader(viewer=signed_in(request.user), work_id=work_id)
    except WorkNotFound:
        raise NotFound(gettext("No such work.")) from None


def adult_consent(
    request: HttpRequest, adult: bool, can_edit: bool = False, *, consenting: bool = False
) -> bool:
    """The adult gate every reading page keeps (the old eFiction pages too, whose
    `ageconsent=ok` link is `consenting`): consent is remembered in the session."""
    if not adult or can_edit:
        return True
    if consenting or request.GET.get("view_adult") == "true":
        # Remember the consent for the next page; skip the write when it is already there.
        if not request.session.get(ADULT_SESSION_KEY):
            request.session[ADULT_SESSION_KEY] = True
        return True
    if request.user.is_authenticated and request.user.view_adult:
        return True
    # Only touch the session when the browser has one: guests without a cookie stay
    # session-less (and cacheable) until they consent.
    if request.COOKIES.get(settings.SESSION_COOKIE_NAME):
        return bool(request.session.get(ADULT_SESSION_KEY))
    return False


def _page_key(request: HttpRequest, stamp: ReadingStamp, kind: str, part: object) -> str:
    display = reader_display(request)
    return (
        f"page:{kind}:{stamp.work_id}:{part}:{stamp.render_version}:{stamp.site_version}:"
        f"{display.cache_variant}"
    )


def _reading(request: HttpRequest, work_id: int, kind: str, chapter_id: int | None = None):
    if pagecache.cacheable(request):
        stamp = guest_reading_stamp(work_id)
        if stamp is not None:
            return _guest_reading(request, stamp, kind, chapter_id)
    elif memberpages.plain_member(request):
        response = _member_reading(request, work_id, kind, chapter_id)
        if response is not None:
            return response
    try:
        work, can_edit = _load(request, work_id)
    except LoginRequired:
        return redirect_to_login(request.get_full_path())
    if not adult_consent(request, work.is_adult, can_edit):
        return _render_gate(request, work)
    if not can_edit:
        record_hit(request, work.pk)
    return _render_work(request, work, can_edit, kind, chapter_id)


def _comments_page(request: HttpRequest) -> int:
    return parse_int(request.GET.get("comments_page"), minimum=1, maximum=99_999) or 1


def _guest_reading(
    request: HttpRequest, stamp: ReadingStamp, kind: str, chapter_id: int | None
) -> HttpResponse:
    """Guests' pages come whole from the cache; a miss renders them the normal way."""

    def load() -> Work:
        # A miss renders with the settings row the stamp saw (or newer), never older.
        SiteSettings.current(min_version=stamp.site_version)
        return _load(request, stamp.work_id)[0]

    if not adult_consent(request, stamp.adult):
        # The gate's "continue" link points at this very page: key it like the page.
        key = _page_key(request, stamp, f"gate-{kind}", chapter_id)
        return pagecache.serve_cached(
            request, key, lambda markers: _render_gate(request, load(), markers=markers)
        )
    record_hit(request, stamp.work_id)
    key = _page_key(request, stamp, kind, f"{chapter_id}:{_comments_page(request)}")
    return pagecache.serve_cached(
        request,
        key,
        lambda markers: _render_work(request, load(), False, kind, chapter_id, markers=markers),
    )


def _member_reading(
    request: HttpRequest, work_id: int, kind: str, chapter_id: int | None
) -> HttpResponse | None:
    """A member's page from the shared cache with their own parts filled in, or None
    when this member and work need the full render (see fanfold.works.memberpages)."""
    member = request.user
    if not isinstance(member, User):  # plain_member() saw a signed-in member
        return None
    stamp = memberpages.member_stamp(work_id, member.pk)
    if stamp is None or stamp.is_creator or not adult_consent(request, stamp.adult):
        return None
    state = memberpages.state_for(stamp, member.pk)
    if not memberpages.fast_for(state, work_id):
        return None
    memberpages.prime(member, state)

    def render(markers: pagecache.Markers) -> HttpResponse:
        SiteSettings.current(min_version=stamp.site_version)
        work = _load(request, work_id)[0]
        viewer = memberpages.stand_in(member, markers, state.muted)
        return _render_work(request, work, False, kind, chapter_id, markers, viewer=viewer)

    part = f"{chapter_id}:{_comments_page(request)}"
    key = memberpages.page_key(request, member, stamp, kind, part, state.muted)
    entry = pagecache.cached_entry(request, key, render, memberpages.SLOT_NAMES)
    if isinstance(entry, HttpResponse):
        return None  # rendered for the stand-in and not shareable: render for the member
    record_hit(request, work_id)
    # The history needs the work's key and update date, which the stamp carries (the
    # other fields left deferred: none of them is read, and defaulting them costs).
    read = Work.from_db(None, ["id", "updated_at"], [work_id, stamp.updated_at])
    reading_record(user=member, work=read, chapter_position=entry.meta["reached"])
    fills = memberpages.fills(request, member, stamp, state, entry.meta)
    return pagecache.respond(request, entry, fills)


def _render_gate(
    request: HttpRequest, work: Work, markers: pagecache.Markers | None = None
) -> HttpResponse:
    page = work_page(work=work, can_edit=False)
    proceed = request.path + "?view_adult=true"
    if request.GET.get("view_full_work") == "true":
        proceed += "&view_full_work=true"
    context = {"page": page, "work": work, "proceed_url": proceed}
    return render(request, "works/adult_gate.html", pagecache.for_cache(context, markers))


def _render_work(
    request: HttpRequest,
    work: Work,
    can_edit: bool,
    kind: str,
    chapter_id: int | None,
    markers: pagecache.Markers | None = None,
    viewer: User | None = None,
) -> HttpResponse:
    """The page itself; with `viewer` (a stand-in, fanfold.works.memberpages) the shared
    rendering of a member's page, whose own parts are left as markers."""
    page = work_page(work=work, can_edit=can_edit)
    if not page.chapters:
        raise NotFound(gettext("This work has no chapters you can read."))
    context = {
        "page": page,
        "work": work,
        "can_edit": can_edit,
        # Administrators may edit any work, but only its creators go without the kudos,
        # subscribe and mark-for-later buttons (on a shared page the stand-in creates
        # nothing, and creators never take that path).
        "is_creator": _creates(viewer or request.user, page),
        "full": kind == "full",
        "here": here(request),
    }
    if work.posted and work.approval == "approved":
        # The buttons, kudos and comments are on this page: their messages show there.
        context["flash_places"] = FEEDBACK_PLACES
    chapter: Chapter | None = None
    if kind == "full":
        chapters = list(work.chapters.readable_by_creator(can_edit).order_by("position"))
        reached = len(page.chapters)
    else:
        index = 0 if chapter_id is None else page.chapter_index(chapter_id)
        if index is None:
            raise NotFound(gettext("No such chapter."))
        chapter = Chapter.objects.get(pk=page.chapters[index].pk)
        chapters, reached = [chapter], index + 1
        context.update(
            chapter_number=reached,
            previous=page.chapters[index - 1] if index > 0 else None,
            next=page.chapters[index + 1] if index + 1 < len(page.chapters) else None,
        )
    context["chapters"] = chapters
    context.update(
        feedback_context(
            request,
            work,
            chapter=chapter,
            can_edit=can_edit,
            comments_page=_comments_page(request),
            viewer=viewer,
        )
    )
    context = memberpages.cache_context(context, markers, viewer)
    if viewer is not None and markers is not None:
        response = render(request, "works/work.html", context)
        response.page_meta = {  # type: ignore[attr-defined]
            "work_id": work.pk,
            "reached": reached,
            "bookmark_count": work.bookmark_count,
        }
        return response
    if request.user.is_authenticated and work.posted:
        reading_record(user=request.user, work=work, chapter_position=reached)
    return render(request, "works/work.html", context)


def _creates(user, page: WorkPage) -> bool:
    return bool(user.is_authenticated) and any(c.pseud.user_id == user.pk for c in page.creators)


def work_detail(request: HttpRequest, work_id: int) -> HttpResponse:
    full = request.GET.get("view_full_work")
    if full == "true" or (
        full is None and request.user.is_authenticated and request.user.view_full_work
    ):
        return _reading(request, work_id, "full")
    return _reading(request, work_id, "chapter")


def chapter_detail(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    return _reading(request, work_id, "chapter", chapter_id)


def chapter_jump(request: HttpRequest, work_id: int) -> HttpResponse:
    """Target of the chapter drop-down, so it works without JavaScript."""
    chapter_id = parse_id(request.GET.get("selected_id"))
    if chapter_id is None:
        return redirect("works:detail", work_id)
    return redirect("works:chapter", work_id, chapter_id)


def work_navigate(request: HttpRequest, work_id: int) -> HttpResponse:
    try:
        work, can_edit = _load(request, work_id)
    except LoginRequired:
        return redirect_to_login(request.get_full_path())
    page = work_page(work=work, can_edit=can_edit)
    return render(
        request, "works/navigate.html", {"page": page, "work": work, "can_edit": can_edit}
    )


# --- listings ---------------------------------------------------------------------------


def work_index(request: HttpRequest) -> HttpResponse:
    return serve_listing(request, "works", partial(_render_index, request), sidebar=True)


def _render_index(
    request: HttpRequest, markers: pagecache.Markers | None = None, viewer: User | None = None
) -> HttpResponse:
    """/works; with `viewer` (a stand-in: fanfold.works.memberlistings) the members'
    shared rendering."""
    listing = works_filtered_listing(viewer=viewer or signed_in(request.user), params=request.GET)
    context = {"filtered": listing, "heading": gettext("Works")}
    return render(request, "works/index.html", memberpages.cache_context(context, markers, viewer))


def _scope(qs) -> list[int]:
    return list(qs.values_list("pk", flat=True).distinct())


def user_works(request: HttpRequest, username: str) -> HttpResponse:
    owner = get_object_or_404(User, username__iexact=username, is_active=True)
    listing = works_filtered_listing(
        viewer=signed_in(request.user),
        params=request.GET,
        within_work_ids=_scope(Work.objects.created_by(owner)),
    )
    return render(
        request,
        "works/index.html",
        {
            "filtered": listing,
            "heading": gettext("Works by %(name)s") % {"name": owner.username},
            "owner": owner,
        },
    )


def pseud_works(request: HttpRequest, username: str, pseud: str) -> HttpResponse:
    pseud_obj = get_object_or_404(
        Pseud.objects.select_related("user"),
        user__username__iexact=username,
        user__is_active=True,
        name__iexact=pseud,
    )
    listing = works_filtered_listing(
        viewer=signed_in(request.user),
        params=request.GET,
        within_work_ids=_scope(Work.objects.by_pseud(pseud_obj)),
    )
    return render(
        request,
        "works/index.html",
        {
            "filtered": listing,
            "heading": gettext("Works by %(name)s") % {"name": pseud_obj},
            "pseud": pseud_obj,
            "owner": pseud_obj.user,
        },
    )


def work_chapters_redirect(request: HttpRequest, work_id: int) -> HttpResponse:
    return redirect(reverse("works:navigate", args=[work_id]), permanent=True)
