"""HTML sanitising with nh3 (ammonia): one allowlist per kind of text."""

from __future__ import annotations

import enum

import nh3
from django.utils.safestring import SafeString

from fanfold.markup.nesting import bound_nesting


class Profile(enum.StrEnum):
    WORK = "work"
    COMMENT = "comment"


_GENERIC = {"class", "title", "dir", "lang"}
_WORK_TAGS = {
    "a",
    "abbr",
    "acronym",
    "address",
    "b",
    "big",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
}
_WORK_ATTRIBUTES = {
    "*": _GENERIC | {"style"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align"},
    "p": {"align"},
    "div": {"align"},
    "ol": {"start", "type"},
}
# Enough to keep an author's centring, emphasis and indents; nothing that can position,
# load or script.
_STYLE_PROPERTIES = {
    "text-align",
    "font-style",
    "font-weight",
    "text-decoration",
    "text-indent",
    "margin-left",
    "padding-left",
    "direction",
}
_COMMENT_TAGS = {
    "p",
    "br",
    "a",
    "em",
    "strong",
    "i",
    "b",
    "u",
    "s",
    "del",
    "blockquote",
    "code",
    "ul",
    "ol",
    "li",
}
_SCHEMES = {"http", "https", "mailto"}
# These elements are dropped with their content, not unwrapped into text.
_DROP_CONTENT = {
    "script",
    "style",
    "template",
    "iframe",
    "object",
    "embed",
    "noscript",
    "svg",
    "math",
    "textarea",
    "select",
    "title",
}


def sanitize_html(html: str, profile: Profile = Profile.WORK) -> SafeString:
    """Return `html` reduced to the allowlist of `profile` (nothing executable survives).

    The result is marked safe for templates: this function is where that trust is earned.
    Time is linear in the length of `html` (see fanfold.markup.nesting).
    """
    if not html:
        return SafeString("")
    if profile == Profile.COMMENT:
        tags, attributes, styles = _COMMENT_TAGS, {"a": {"href"}}, set()
    else:
        tags, attributes, styles = _WORK_TAGS, _WORK_ATTRIBUTES, _STYLE_PROPERTIES
    cleaned = nh3.clean(
        bound_nesting(html),
        tags=tags,
        clean_content_tags=_DROP_CONTENT - tags,
        attributes=attributes,
        url_schemes=_SCHEMES,
        link_rel="nofollow noopener",
        filter_style_properties=styles,
        strip_comments=True,
    )
    return SafeString(cleaned.strip())
