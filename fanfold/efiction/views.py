"""The old eFiction addresses. Story pages that reader tools fetch are served in eFiction
3.5's markup; everything else sends the visitor, permanently, to the Fanfold page.

Every story goes through `selectors.story_for_reader` (the one visibility rule); ids come
from `parse_id`, so garbage in a query string is a 404, never a 500.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    QueryDict,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from fanfold.accounts.models import User
from fanfold.accounts.selectors import signed_in
from fanfold.archive.params import parse_int
from fanfold.challenges.models import Challenge
from fanfold.comments.models import Comment
from fanfold.efiction import selectors
from fanfold.efiction.legacy_pages import page_slug
from fanfold.efiction.models import EfictionImport, Kind, LegacyId
from fanfold.efiction.selectors import MembersOnly, StoryNotFound, parse_id
from fanfold.news.models import NewsPost
from fanfold.pages.models import Page
from fanfold.works.hits import record_hit
from fanfold.works.models import Chapter, Series, Work
from fanfold.works.views.reading import adult_consent

# Parameters that make viewstory.php a page of its own rather than a pointer to the work.
STORY_PAGE_PARAMS = ("chapter", "chapid", "index", "action", "ageconsent")


def _moved(to: str, query: dict[str, str] | None = None) -> HttpResponse:
    if query:
        to += "?" + urlencode(query)
    return HttpResponsePermanentRedirect(to)


# --- viewstory.php ----------------------------------------------------------------------


def _story_pk(params: QueryDict, imp: EfictionImport) -> tuple[int, int | None]:
    """The work's pk and, for `chapid=`, the chapter position it names."""
    sid = parse_id(params.get("sid"))
    if "chapid" not in params:
        if sid is None:
            raise Http404(_("No such story."))
        return imp.pk_for(Kind.STORY, sid), None
    chapid = parse_id(params.get("chapid"))
    row = (
        Chapter.objects.public()
        .filter(pk=imp.pk_for(Kind.CHAPTER, chapid))
        .values_list("work_id", "position")
        .first()
        if chapid is not None
        else None
    )
    if row is None or (sid is not None and imp.pk_for(Kind.STORY, sid) != row[0]):
        raise Http404(_("No such chapter."))
    return row[0], row[1]


def _textsize(params: QueryDict) -> int:
    """eFiction's text size steps (±N) as a percentage."""
    raw = params.get("textsize", "0").strip()
    step = parse_int(raw.removeprefix("-"), maximum=99) or 0
    step = -step if raw.startswith("-") else step
    return max(50, min(300, 100 + 20 * step))


# What the consent link carries over, so the visitor lands on the page they asked for.
GATE_KEEPS = ("action", "chapter", "chapid", "textsize")


def _gate(request: HttpRequest, work: Work, sid: int) -> HttpResponse:
    rid = selectors.rating_legacy_id(work)
    rest = {k: v for k, v in request.GET.items() if k in GATE_KEEPS}
    proceed = f"viewstory.php?sid={sid}&ageconsent=ok&warning={rid}"
    if rest:
        proceed += "&" + urlencode(rest)
    return render(
        request, "efiction/age_consent.html", {"work": work, "sid": sid, "proceed": proceed}
    )


def viewstory(request: HttpRequest) -> HttpResponse:
    params = request.GET
    imp = selectors.current_import()
    work_pk, chapid_position = _story_pk(params, imp)
    if not any(name in params for name in STORY_PAGE_PARAMS):
        return _to_work(request, work_pk)
    try:
        work, can_edit = selectors.story_for_reader(viewer=signed_in(request.user), work_pk=work_pk)
    except StoryNotFound:
        raise Http404(_("No such story.")) from None
    except MembersOnly:
        return render(request, "efiction/members_only.html", {"next": request.get_full_path()})
    sid = selectors.legacy_id_of(imp, Kind.STORY, work.pk) or work.pk
    printable = params.get("action") == "printable"
    if "index" in params and not printable:
        return _index(request, imp, work)
    # A bad chapter is a 404 before the age gate, so the gate never links to nothing.
    if not (printable and params.get("chapter") == "all"):
        _wanted_position(params.get("chapter"))
    consenting = params.get("ageconsent") == "ok"
    if not adult_consent(request, work.is_adult, can_edit, consenting=consenting):
        return _gate(request, work, sid)
    if printable:
        return _printable(request, imp, work)
    return _chapter(request, imp, work, chapid_position)


def _count_read(request: HttpRequest, story: selectors.Story) -> None:
    """eFiction counted every read; Fanfold counts a visitor once a day, creators never."""
    if request.user.pk not in {author.user_id for author in story.authors}:
        record_hit(request, story.work.pk)


def _wanted_position(raw: str | None, default: int | None = 1) -> int | None:
    if raw is None:
        return default
    position = parse_id(raw)
    if position is None:
        raise Http404(_("No such chapter."))
    return position


def _printable(request: HttpRequest, imp: EfictionImport, work: Work) -> HttpResponse:
    story = selectors.story_page(imp=imp, work=work, with_text=True)
    wanted = request.GET.get("chapter")
    chapters = story.chapters
    if wanted != "all":
        chapter = story.chapter_at(_wanted_position(wanted) or 1)
        if chapter is None:
            raise Http404(_("No such chapter."))
        chapters = [chapter]
    if not chapters:
        raise Http404(_("This story has no chapters yet."))
    _count_read(request, story)
    return render(
        request,
        "efiction/printable.html",
        {
            "story": story,
            "work": work,
            "chapters": chapters,
            "whole": wanted == "all",
            "size": _textsize(request.GET),
            "archived_at": request.build_absolute_uri(work.get_absolute_url()),
        },
    )


def _index(request: HttpRequest, imp: EfictionImport, work: Work) -> HttpResponse:
    story = selectors.story_page(imp=imp, work=work, with_text=False)
    lines = selectors.index_lines(imp=imp, story=story)
    return render(request, "efiction/index.html", {"story": story, "work": work, "lines": lines})


def _chapter(
    request: HttpRequest, imp: EfictionImport, work: Work, chapid_position: int | None
) -> HttpResponse:
    story = selectors.story_page(imp=imp, work=work, with_text=False)
    position = chapid_position or _wanted_position(request.GET.get("chapter"))
    listed = story.chapter_at(position or 1)
    if listed is None:
        raise Http404(_("No such chapter."))
    chapter = Chapter.objects.get(pk=listed.pk)
    _count_read(request, story)
    index = story.chapters.index(listed)
    return render(
        request,
        "efiction/chapter.html",
        {
            "story": story,
            "work": work,
            "chapter": chapter,
            "previous": story.chapters[index - 1] if index > 0 else None,
            "next": story.chapters[index + 1] if index + 1 < len(story.chapters) else None,
            "size": _textsize(request.GET),
        },
    )


def _to_work(request: HttpRequest, work_pk: int) -> HttpResponse:
    """A permanent redirect to the work's own page when the visitor could reach it
    (members-only works included: that page asks guests to log in)."""
    try:
        selectors.story_for_reader(viewer=signed_in(request.user), work_pk=work_pk)
    except StoryNotFound:
        raise Http404(_("No such story.")) from None
    except MembersOnly:
        pass
    return _moved(reverse("works:detail", args=[work_pk]))


# --- people, series, listings -----------------------------------------------------------

USER_ACTIONS = {
    "storiesby": "works:user_works",
    "favst": "bookmarks:user",
    "favse": "bookmarks:user",
}


def viewuser(request: HttpRequest) -> HttpResponse:
    uid = parse_id(request.GET.get("uid"))
    if uid is None:
        raise Http404(_("No such member."))
    pk = selectors.current_import().pk_for(Kind.AUTHOR, uid)
    username = User.objects.filter(pk=pk, is_active=True).values_list("username", flat=True)
    name = username.first()
    if name is None:
        raise Http404(_("No such member."))
    # Fanfold has no per-member series, review or favourite-author pages: the profile.
    target = USER_ACTIONS.get(request.GET.get("action", ""), "accounts:user")
    return _moved(reverse(target, args=[name]))


def viewseries(request: HttpRequest) -> HttpResponse:
    seriesid = parse_id(request.GET.get("seriesid"))
    if seriesid is None:
        raise Http404(_("No such series."))
    pk = selectors.current_import().pk_for(Kind.SERIES, seriesid)
    if not Series.objects.readable_by(signed_in(request.user)).filter(pk=pk).exists():
        raise Http404(_("No such series."))
    return _moved(reverse("works:series", args=[pk]))


def challenge(request: HttpRequest) -> HttpResponse:
    chalid = parse_id(request.GET.get("chalid"))
    if chalid is None:
        raise Http404(_("No such challenge."))
    pk = selectors.current_import().pk_for(Kind.CHALLENGE, chalid)
    if not Challenge.objects.filter(pk=pk).exists():
        raise Http404(_("No such challenge."))
    return _moved(reverse("challenges:detail", args=[pk]))


BROWSE_TAG_PARAMS = {
    "categories": (Kind.CATEGORY, "catid"),
    "characters": (Kind.CHARACTER, "charid"),
    "class": (Kind.CLASS, "classid"),
}
BROWSE_SORTS = {"recent": "updated", "titles": "title"}
BROWSE_LISTS = {"series": "works:series_index", "challenges": "challenges:index"}


def browse(request: HttpRequest) -> HttpResponse:
    kind_type = request.GET.get("type", "")
    works = reverse("works:index")
    if kind_type in BROWSE_TAG_PARAMS:
        kind, param = BROWSE_TAG_PARAMS[kind_type]
        # eFiction accepts a list of categories; the first names the page.
        first = request.GET.get(param, "").split(",")[0].strip()
        legacy_id = parse_id(first)
        tag = None
        if legacy_id is not None:
            imp = selectors.current_import()
            tag = selectors.tag_for_legacy(
                kind=kind, legacy_id=legacy_id, imp=imp, viewer=signed_in(request.user)
            )
        return _moved(tag.get_works_url() if tag else works)
    if kind_type == "ratings":
        rid = parse_id(request.GET.get("rid") or request.GET.get("rating"))
        imp = selectors.current_import()
        rating = (
            selectors.tag_for_legacy(
                kind=Kind.RATING, legacy_id=rid, imp=imp, viewer=signed_in(request.user)
            )
            if rid
            else None
        )
        return _moved(works, {"rating": str(rating.pk)} if rating else None)
    if kind_type in BROWSE_SORTS:
        return _moved(works, {"sort": BROWSE_SORTS[kind_type]})
    if kind_type in BROWSE_LISTS:
        return _moved(reverse(BROWSE_LISTS[kind_type]))
    # featured and anything else: the works listing is the nearest.
    return _moved(works)


TOPLIST_SORTS = {
    "longstories": "words",
    "shortstories": "words",
    "readstories": "hits",
    "reviewedstories": "comments",
    "favstories": "bookmarks",
}


def toplists(request: HttpRequest) -> HttpResponse:
    chosen = request.GET.get("list", "")
    if chosen in ("prolificauthors", "favauthors"):
        return _moved(reverse("accounts:authors"))
    sort = TOPLIST_SORTS.get(chosen)
    return _moved(reverse("works:index"), {"sort": sort} if sort else None)


def search(request: HttpRequest) -> HttpResponse:
    term = " ".join(request.GET.get("searchterm", "").split())[:200]
    return _moved(reverse("works:index"), {"q": term} if term else None)


def authors(request: HttpRequest) -> HttpResponse:
    letter = request.GET.get("let", "")
    query = {"letter": letter.lower()} if len(letter) == 1 and letter.isalpha() else None
    return _moved(reverse("accounts:authors"), query)


def reviews(request: HttpRequest) -> HttpResponse:
    imp = selectors.current_import()
    params = request.GET
    if "reviewid" in params:
        reviewid = parse_id(params.get("reviewid"))
        pk = imp.pk_for(Kind.REVIEW, reviewid) if reviewid else None
        if pk is None or not Comment.objects.filter(pk=pk).exists():
            raise Http404(_("No such review."))
        return _moved(reverse("comments:detail", args=[pk]))
    item = parse_id(params.get("item"))
    if item is None:
        raise Http404(_("No such story."))
    if params.get("type") == "SE":
        pk = imp.pk_for(Kind.SERIES, item)
        if not Series.objects.readable_by(signed_in(request.user)).filter(pk=pk).exists():
            raise Http404(_("No such series."))
        return _moved(reverse("works:series", args=[pk]))
    work_pk = imp.pk_for(Kind.STORY, item)
    target = _to_work(request, work_pk)["Location"]
    if "chapid" in params:
        chapid = parse_id(params.get("chapid"))
        chapter_pk = imp.pk_for(Kind.CHAPTER, chapid) if chapid is not None else 0
        if not Chapter.objects.public().filter(pk=chapter_pk, work_id=work_pk).exists():
            raise Http404(_("No such chapter."))
        target = reverse("works:chapter", args=[work_pk, chapter_pk])
    return _moved(target + "#comments")


def viewpage(request: HttpRequest) -> HttpResponse:
    """eFiction's pages were imported to /pages/<slug> (see legacy_pages.page_slug)."""
    name = request.GET.get("page", "")[:200]
    slugs = [page_slug(name)] if name else []
    if name.lower() == "help":
        slugs.append("faq")  # an archive whose help text was empty: the nearest page
    found = set(Page.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    for slug in slugs:
        if slug in found:
            return _moved(reverse("pages:detail", args=[slug]))
    raise Http404(_("No such page."))


def news(request: HttpRequest) -> HttpResponse:
    """news.php: one imported news item, or the news list."""
    nid = parse_id(request.GET.get("nid"))
    if nid is not None:
        row = LegacyId.objects.filter(kind=Kind.NEWS, legacy_id=nid).first()
        if row is not None and NewsPost.objects.visible_to(None).filter(pk=row.object_id).exists():
            return _moved(reverse("news:detail", args=[row.object_id]))
    return _moved(reverse("news:index"))


USER_PAGES = {
    "register": "accounts:signup",
    "lostpassword": "accounts:password_reset",
    "editprefs": "accounts:preferences",
}


@csrf_exempt  # reader tools POST their login here; answering with a redirect changes nothing
def user(request: HttpRequest) -> HttpResponse:
    return _moved(reverse(USER_PAGES.get(request.GET.get("action", ""), "accounts:login")))


def stories(request: HttpRequest) -> HttpResponse:
    if request.GET.get("action") == "newstory":
        return _moved(reverse("works:new"))
    return _moved(reverse("works:drafts"))


def home(request: HttpRequest) -> HttpResponse:
    """index.php, series.php: Fanfold's nearest page is the front page."""
    return _moved(reverse("archive:home"))
