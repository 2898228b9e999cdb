"""Authors' sanitised HTML made into XHTML an EPUB 3 reading system accepts.

The site's allowlist (fanfold.markup.sanitize) keeps what browsers forgive: obsolete
elements (`center`, `big`, `tt`), `align`, in-page anchors, links relative to the site,
images on other servers, and a block inside a `<span>`. EPUBCheck rejects each of them,
so every chapter passes through here once, when a book is built.
"""

from __future__ import annotations

import re

from django.conf import settings
from lxml import etree, html

# Obsolete elements and what HTML5 says instead: (new tag, inline style).
_OBSOLETE = {
    "center": ("div", "text-align: center"),
    "big": ("span", "font-size: larger"),
    "tt": ("code", ""),
    "strike": ("s", ""),
    "acronym": ("abbr", ""),
}
# Elements that may hold only phrasing content, and the flow elements they may not hold.
_PHRASING_ONLY = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "span", "em", "strong", "i", "b", "u", "s",
    "small", "sub", "sup", "code", "abbr", "q", "cite", "kbd", "samp", "var", "dfn", "pre",
    "rt", "rp", "ruby", "dt", "caption", "figcaption",
}  # fmt: skip
_FLOW = {
    "p", "div", "blockquote", "ul", "ol", "dl", "table", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "pre", "figure", "address",
}  # fmt: skip
_LIST_ITEM = {"ul": "li", "ol": "li", "dl": "dd"}
_DIR = {"ltr", "rtl", "auto"}


def to_xhtml(fragment: str, method: str = "xml") -> str:
    """`fragment` (sanitised HTML) as XHTML that EPUBCheck accepts, meaning kept;
    `method="html"` writes the same tree in HTML syntax (for the HTML and PDF books)."""
    if not fragment.strip():
        return ""
    root = html.fragment_fromstring(fragment, create_parent="div")
    # Children before parents: an inline element turned into a block is seen by its
    # own parent afterwards.
    for element in reversed(list(root.iter(etree.Element))):
        _fix(element)
    parts = [etree.tostring(child, encoding="unicode", method=method) for child in root]
    return _escape(root.text or "") + "".join(parts)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _fix(element) -> None:
    if not isinstance(element.tag, str):  # a comment or processing instruction
        element.getparent().remove(element)
        return
    tag = element.tag
    if tag in _OBSOLETE:
        tag, style = _OBSOLETE[tag]
        element.tag = tag
        if style:
            _add_style(element, style)
    align = element.attrib.pop("align", None)
    if align in {"left", "right", "center", "justify"}:
        _add_style(element, f"text-align: {align}")
    if element.get("dir") is not None and element.get("dir") not in _DIR:
        del element.attrib["dir"]
    if tag == "a":
        _fix_link(element)
    elif tag == "img":
        _fix_image(element)
    elif tag in _LIST_ITEM:
        _fix_list(element, _LIST_ITEM[tag])
    if tag in _PHRASING_ONLY and any(child.tag in _FLOW for child in element):
        # A paragraph or span holding a block: the block wins, the wrapper becomes a div
        # (its class keeps the old name for styling).
        element.attrib["class"] = (element.get("class", "") + f" {tag}").strip()
        element.tag = "div"


def _add_style(element, declaration: str) -> None:
    style = element.get("style", "").strip().rstrip(";")
    element.set("style", f"{style}; {declaration}" if style else declaration)


def _fix_link(element) -> None:
    element.attrib.pop("name", None)
    element.attrib.pop("rel", None)
    href = element.get("href")
    if href is None:
        return
    if href.startswith("#") or not href.strip():
        # In-page anchors point into the author's page, not into this book's files.
        del element.attrib["href"]
    elif href.startswith("/"):
        element.set("href", settings.SITE_URL + href)
    elif not re.match(r"^(https?|mailto):", href):
        del element.attrib["href"]


def _fix_image(element) -> None:
    # A book carries no remote images (EPUB forbids them in the text): the reader gets
    # a link to the picture instead, labelled with its description.
    src = element.get("src", "")
    label = element.get("alt") or "image"
    link = etree.Element("a")
    if src.startswith("/"):
        src = settings.SITE_URL + src
    if re.match(r"^https?://", src):
        link.set("href", src)
    link.text = f"[{label}]"
    link.tail = element.tail
    element.getparent().replace(element, link)


def _fix_list(element, item: str) -> None:
    # A list holds only items: stray text or elements go into an item of their own.
    if element.text and element.text.strip():
        wrapper = etree.Element(item)
        wrapper.text = element.text
        element.insert(0, wrapper)
    element.text = None
    allowed = {"li"} if item == "li" else {"dt", "dd"}
    for child in list(element):
        if child.tail and child.tail.strip():
            wrapper = etree.Element(item)
            wrapper.text = child.tail
            child.addnext(wrapper)
        child.tail = None
        if child.tag not in allowed:
            wrapper = etree.Element(item)
            child.addprevious(wrapper)
            wrapper.append(child)
