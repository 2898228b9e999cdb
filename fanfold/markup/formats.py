"""Turning what an author typed (HTML, Markdown or plain text) into safe HTML."""

from __future__ import annotations

import enum
import html as html_lib
import re
from typing import TYPE_CHECKING

import nh3
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from fanfold.markup.budget import Deadline
from fanfold.markup.markdown import markdown_to_html
from fanfold.markup.pasted import clean_pasted_html
from fanfold.markup.sanitize import Profile, sanitize_html

if TYPE_CHECKING:  # django-stubs is a lint dependency only
    from django_stubs_ext import StrOrPromise

__all__ = ["TextFormat", "clean_pasted_html", "plain_text", "plain_to_html", "render_text"]


class TextFormat(enum.StrEnum):
    HTML = "html"
    MARKDOWN = "markdown"
    PLAIN = "plain"

    @property
    def label(self) -> StrOrPromise:
        # Lazy, so a form's choices (built at import) follow the reader's language. The
        # words are the works app's TextFormat labels, translated in its catalogue.
        return {"html": _("Rich text (HTML)"), "markdown": _("Markdown"), "plain": _("Plain text")}[
            self.value
        ]

    @classmethod
    def choices(cls) -> list[tuple[str, StrOrPromise]]:
        return [(member.value, member.label) for member in cls]


def render_text(
    source: str,
    fmt: TextFormat | str,
    profile: Profile = Profile.WORK,
    *,
    field: str | None = None,
) -> SafeString:
    """Sanitised HTML for `source` written in `fmt`; empty input gives ''.

    Takes time linear in the length of `source`, and raises MarkupTooComplex (a
    ValidationError, on `field` when given) rather than run past the budget.
    """
    if not source or not source.strip():
        return SafeString("")
    deadline = Deadline(field=field)
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    fmt = TextFormat(fmt)
    if fmt == TextFormat.PLAIN:
        html = plain_to_html(source)
    elif fmt == TextFormat.MARKDOWN:
        html = markdown_to_html(source, deadline)
    else:
        html = clean_pasted_html(source, deadline)
    deadline.check()
    return sanitize_html(html, profile)


def plain_to_html(text: str) -> str:
    """Blank lines separate paragraphs; single line breaks stay line breaks."""
    paragraphs = re.split(r"\n[ \t]*\n+", text.strip("\n"))
    return "\n".join(
        "<p>" + "<br />\n".join(html_lib.escape(line) for line in para.split("\n")) + "</p>"
        for para in paragraphs
        if para.strip()
    )


def plain_text(html: str) -> str:
    """The text of `html`, unescaped, whitespace collapsed (for feeds and meta tags)."""
    text = html_lib.unescape(nh3.clean(html or "", tags=set()))
    return " ".join(text.split())
