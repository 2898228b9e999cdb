"""Reader display settings: theme and font size, for members and guests alike."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from fanfold.archive.params import parse_int

THEME_LABELS = (
    ("auto", gettext_lazy("Device")),
    ("light", gettext_lazy("Light")),
    ("dark", gettext_lazy("Dark")),
    ("sepia", gettext_lazy("Sepia")),
)
THEMES = tuple(value for value, _ in THEME_LABELS)
FONT_SIZES = (80, 90, 100, 115, 130, 150, 175)
THEME_COOKIE = "fanfold_theme"
SIZE_COOKIE = "fanfold_size"


@dataclass(frozen=True)
class Display:
    theme: str = "auto"
    font_size: int = 100

    @property
    def cache_variant(self) -> str:
        return f"{self.theme}-{self.font_size}"


def reader_display(request: HttpRequest) -> Display:
    """Members' saved preferences win; guests keep theirs in two small cookies."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return Display(theme=user.theme, font_size=user.font_size)
    theme = request.COOKIES.get(THEME_COOKIE, "auto")
    size = parse_int(request.COOKIES.get(SIZE_COOKIE)) or 100
    return Display(
        theme=theme if theme in THEMES else "auto",
        font_size=size if size in FONT_SIZES else 100,
    )
