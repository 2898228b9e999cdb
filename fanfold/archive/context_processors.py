from django.http import HttpRequest

from fanfold.archive.models import SiteSettings
from fanfold.archive.selectors import FONT_SIZES, THEME_LABELS, reader_display


def archive(request: HttpRequest) -> dict:
    return {
        "site": SiteSettings.current(),
        "display": reader_display(request),
        "display_themes": THEME_LABELS,
        "display_sizes": FONT_SIZES,
    }
