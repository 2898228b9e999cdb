"""Tidying rich text pasted from Word or Google Docs, before sanitising.

Every pass here is linear in the length of the text. The patterns are written so that
no match attempt can run past the next `<` (a tag never holds one), and the steps a
regex cannot do in one left-to-right pass (comments that may never close, the wrapper
Google Docs puts around everything, nested spans) are small scanners: a regex like
`<!--.*?-->` restarts its search for `-->` at every `<!--`, which is quadratic on
thousands of unclosed comments, and unwrapping spans innermost-first took one pass over
the text per level of nesting.
"""

from __future__ import annotations

import re

from fanfold.markup.budget import Deadline

_BLOCK_TAG = re.compile(r"<\s*(p|div|br|h[1-6]|li|blockquote|pre|table|hr)\b", re.I)
_CONDITIONAL_START = re.compile(r"<!--\[if", re.I)
_CONDITIONAL_END = re.compile(r"<!\[endif\]-->", re.I)
_NAMESPACED = re.compile(r"</?\w+:[^<>]*>")  # <o:p>, <w:WordDocument>, <v:shape> …
_GDOCS_WRAPPER = re.compile(r"<b\b[^<>]*id=\"docs-internal-guid-[^\"<>]*\"[^<>]*>", re.I)
_BOLD_CLOSE = re.compile(r"</b>", re.I)
_SPAN_TAG = re.compile(r"<span\b([^<>]*)>|</span>", re.I)
_STYLE_ATTR = re.compile(r"\sstyle\s*=\s*(\"[^\"]*\"|'[^']*')", re.I)
_MSO_CLASS = re.compile(r"\sclass\s*=\s*(\"Mso[^\"]*\"|'Mso[^']*'|Mso\w*)", re.I)
# `\s` already covers U+00A0: a separate alternative for it made the group ambiguous,
# and `<p>` followed by thirty no-break spaces and a letter backtracked for minutes.
_EMPTY_PARAGRAPH = re.compile(r"<p\b[^<>]*>(?:\s|&nbsp;|&#160;|<br\s*/?>)*+</p>", re.I)
_BOLD_STYLE = re.compile(r"font-weight:(bold|[6-9]00)")


def clean_pasted_html(html: str, deadline: Deadline | None = None) -> str:
    """Tidy text pasted from Word or Google Docs before sanitising.

    Word adds conditional comments, `o:p` elements, `Mso*` classes and `mso-*` styles;
    Google Docs wraps everything in a bold `docs-internal-guid` element and marks bold and
    italics with styled spans. Both become plain paragraphs with <strong>/<em>. Text with
    no block elements at all is treated as plain text, so pasted prose keeps paragraphs.
    """
    deadline = deadline or Deadline()
    html = _NAMESPACED.sub("", _strip_comments(_strip_conditionals(html)))
    deadline.check()
    # The patterns below cannot start from a fixed string, so the regex engine tries them
    # at every character; a plain substring test skips them for the (usual) text that
    # has nothing to clean, which matters when an import cleans 200,000 chapters.
    lowered = html.lower()
    if "docs-internal-guid" in lowered:
        html = _unwrap_google_docs(html)
    if "mso" in lowered:
        html = _MSO_CLASS.sub("", html)
    if "<span" in lowered:
        html = _unwrap_spans(html)
    deadline.check()
    if "style" in lowered:
        html = _STYLE_ATTR.sub(_keep_alignment, html)
    html = _EMPTY_PARAGRAPH.sub("", html)
    deadline.check()
    if not _BLOCK_TAG.search(html):
        return _plain_with_markup(html)
    return html


def _strip_conditionals(html: str) -> str:
    """Remove Word's `<!--[if …]> … <![endif]-->` blocks (each up to the first end)."""
    parts, pos = [], 0
    while start := _CONDITIONAL_START.search(html, pos):
        end = _CONDITIONAL_END.search(html, start.end())
        if end is None:
            break  # no end after this start, so none after any later start either
        parts.append(html[pos : start.start()])
        pos = end.end()
    parts.append(html[pos:])
    return "".join(parts)


def _strip_comments(html: str) -> str:
    """Remove `<!-- … -->`; an unclosed comment stays for nh3 (which drops it)."""
    parts, pos = [], 0
    while (start := html.find("<!--", pos)) != -1:
        end = html.find("-->", start + 4)
        if end == -1:
            break
        parts.append(html[pos:start])
        pos = end + 3
    parts.append(html[pos:])
    return "".join(parts)


def _unwrap_google_docs(html: str) -> str:
    """Drop the bold element Google Docs wraps a whole paste in (up to the last </b>)."""
    wrapper = _GDOCS_WRAPPER.search(html)
    if wrapper is None:
        return html
    last_close = None
    for close in _BOLD_CLOSE.finditer(html, wrapper.end()):
        last_close = close
    if last_close is None:
        return html
    return (
        html[: wrapper.start()]
        + html[wrapper.end() : last_close.start()]
        + html[last_close.end() :]
    )


def _unwrap_spans(html: str) -> str:
    """Replace each `<span style=…>…</span>` pair by the emphasis its style gives.

    One pass with a stack of open spans: a close tag pairs with the nearest open one,
    the opening tags go where the span opened, and stray tags stay as they are.
    """
    pieces: list[str] = []
    open_spans: list[tuple[int, str]] = []  # (index of its piece, its attributes)
    pos = 0
    for tag in _SPAN_TAG.finditer(html):
        pieces.append(html[pos : tag.start()])
        pos = tag.end()
        if tag.group(0)[1] != "/":
            open_spans.append((len(pieces), tag.group(1)))
            pieces.append(tag.group(0))  # replaced if the span closes
        elif open_spans:
            index, attributes = open_spans.pop()
            opening, closing = _emphasis_of(_style_of(attributes))
            pieces[index] = opening
            pieces.append(closing)
        else:
            pieces.append(tag.group(0))
    pieces.append(html[pos:])
    return "".join(pieces)


def _style_of(attributes: str) -> str:
    match = _STYLE_ATTR.search(attributes)
    return match.group(1)[1:-1].lower().replace(" ", "") if match else ""


def _emphasis_of(style: str) -> tuple[str, str]:
    """Opening and closing tags for a span's bold, italics, underline and strike-through
    (nested in that order, bold innermost)."""
    tags = []
    if _BOLD_STYLE.search(style):
        tags.append("strong")
    if "font-style:italic" in style:
        tags.append("em")
    if "text-decoration:underline" in style or "text-decoration-line:underline" in style:
        tags.append("u")
    if "line-through" in style:
        tags.append("s")
    opening = "".join(f"<{tag}>" for tag in reversed(tags))
    return opening, "".join(f"</{tag}>" for tag in tags)


def _keep_alignment(match: re.Match) -> str:
    declarations = match.group(1)[1:-1].split(";")
    kept = [d.strip() for d in declarations if d.strip().lower().startswith("text-align")]
    return f' style="{"; ".join(kept)}"' if kept else ""


def _plain_with_markup(html: str) -> str:
    """Paragraphs from blank lines for inline-only HTML, keeping its inline tags."""
    paragraphs = re.split(r"\n[ \t]*\n+", html.strip("\n"))
    return "\n".join(
        "<p>" + "<br />\n".join(para.split("\n")) + "</p>" for para in paragraphs if para.strip()
    )
