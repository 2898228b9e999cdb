import functools

from django.http import HttpRequest

from fanfold.archive.gate import banners
from fanfold.archive.models import SiteSettings
from fanfold.archive.selectors import FONT_SIZES, THEME_LABELS, reader_display
from fanfold.pages.selectors import footer_links
from fanfold.staff.permissions import has_perm


def archive(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    extra = {}
    if user is not None and user.is_authenticated:
        from fanfold.works.menu import menu_counts

        # Callables: templates only run the query where the counts are shown; cached,
        # since the layout asks several times (whether there is a badge, then its
        # number), and the inbox badge and "Drafts (N)" share one query.
        counts = functools.cache(lambda: menu_counts(user))
        extra["inbox_unread"] = lambda: counts().inbox
        extra["drafts_count"] = lambda: counts().drafts
        if has_perm(user, "approve_works"):
            from fanfold.moderation.selectors import works_waiting_count

            extra["moderation_waiting"] = works_waiting_count
    return {
        **extra,
        "site": SiteSettings.current(),
        # A callable, like the inbox count: evaluated only where the layout shows it.
        "banners": lambda: banners(request),
        "display": reader_display(request),
        "display_themes": THEME_LABELS,
        "display_sizes": FONT_SIZES,
        # A callable: the footer asks for it (a cached list) only when it is rendered.
        "footer_pages": footer_links,
    }
