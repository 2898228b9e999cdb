"""OPDS 1.2 catalogue documents: Atom feeds with OPDS links, written with Django's XML
generator (the one its syndication feeds use).

A navigation feed's entries lead to other feeds; an acquisition feed's entries are works,
each with links to its downloads. Every document names itself (`self`), the catalogue's
root (`start`), the search description (`search`) and, when paged, its neighbours.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from io import StringIO

from django.utils.feedgenerator import rfc3339_date
from django.utils.xmlutils import SimplerXMLGenerator

ATOM = "http://www.w3.org/2005/Atom"
NAMESPACES = {
    "xmlns": ATOM,
    "xmlns:dc": "http://purl.org/dc/terms/",
    "xmlns:opds": "http://opds-spec.org/2010/catalog",
    "xmlns:opensearch": "http://a9.com/-/spec/opensearch/1.1/",
}
NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
OPENSEARCH = "application/opensearchdescription+xml"
ACQUIRE = "http://opds-spec.org/acquisition"
SORT_NEW = "http://opds-spec.org/sort/new"
SORT_POPULAR = "http://opds-spec.org/sort/popular"


@dataclass(frozen=True)
class Link:
    rel: str
    href: str
    type: str
    title: str = ""

    def write(self, handler: SimplerXMLGenerator) -> None:
        attrs = {"rel": self.rel, "href": self.href, "type": self.type}
        if self.title:
            attrs["title"] = self.title
        handler.addQuickElement("link", None, attrs)


@dataclass
class Entry:
    """A navigation entry (`text` and a link to a feed) or a work (everything else)."""

    title: str
    id: str
    updated: dt.datetime
    links: list[Link]
    text: str = ""
    authors: list[tuple[str, str]] = field(default_factory=list)  # (name, uri)
    published: dt.datetime | None = None
    summary: str = ""  # plain text: OPDS allows no markup in atom:summary
    content_html: str = ""
    categories: list[tuple[str, str]] = field(default_factory=list)  # (scheme, term)
    language: str = ""
    issued: dt.date | None = None

    def write(self, handler: SimplerXMLGenerator) -> None:
        handler.startElement("entry", {})
        handler.addQuickElement("title", self.title)
        handler.addQuickElement("id", self.id)
        handler.addQuickElement("updated", rfc3339_date(self.updated))
        if self.published is not None:
            handler.addQuickElement("published", rfc3339_date(self.published))
        for name, uri in self.authors:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", uri)
            handler.endElement("author")
        for scheme, term in self.categories:
            handler.addQuickElement(
                "category", None, {"scheme": scheme, "term": term, "label": term}
            )
        if self.language:
            handler.addQuickElement("dc:language", self.language)
        if self.issued is not None:
            handler.addQuickElement("dc:issued", self.issued.isoformat())
        if self.summary:
            handler.addQuickElement("summary", self.summary, {"type": "text"})
        if self.content_html:
            handler.addQuickElement("content", self.content_html, {"type": "html"})
        elif self.text:
            handler.addQuickElement("content", self.text, {"type": "text"})
        for link in self.links:
            link.write(handler)
        handler.endElement("entry")


@dataclass
class Catalog:
    kind: str  # NAVIGATION or ACQUISITION
    title: str
    id: str
    updated: dt.datetime
    author: tuple[str, str]
    links: list[Link]
    entries: list[Entry] = field(default_factory=list)
    total: int | None = None
    per_page: int = 0
    start_index: int = 1

    @property
    def content_type(self) -> str:
        return f"{self.kind};charset=utf-8"

    def render(self) -> str:
        out = StringIO()
        handler = SimplerXMLGenerator(out, "utf-8", short_empty_elements=True)
        handler.startDocument()
        handler.startElement("feed", NAMESPACES)
        handler.addQuickElement("id", self.id)
        handler.addQuickElement("title", self.title)
        handler.addQuickElement("updated", rfc3339_date(self.updated))
        handler.startElement("author", {})
        handler.addQuickElement("name", self.author[0])
        handler.addQuickElement("uri", self.author[1])
        handler.endElement("author")
        for link in self.links:
            link.write(handler)
        if self.total is not None:
            handler.addQuickElement("opensearch:totalResults", str(self.total))
            handler.addQuickElement("opensearch:itemsPerPage", str(self.per_page))
            handler.addQuickElement("opensearch:startIndex", str(self.start_index))
        for entry in self.entries:
            entry.write(handler)
        handler.endElement("feed")
        handler.endDocument()
        return out.getvalue()
