"""Every catalogue document is validated against the OPDS 1.2 RELAX NG schema (lxml)
and read by a real OPDS client's parser (shelfline, which e-reader users run)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from shelfline.catalog import parse_opds_feed

from fanfold.feeds.tests.conftest import unseen  # noqa: F401 (a fixture, shared)

SCHEMA = Path(__file__).resolve().parents[1] / "schema" / "opds.rng"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="session")
def opds_schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


class Document:
    def __init__(self, response, schema: etree.RelaxNG) -> None:
        self.response = response
        self.root = etree.fromstring(response.content)
        assert schema.validate(self.root), schema.error_log
        self.feed = parse_opds_feed(response.content.decode(), "http://testserver/opds")

    def links(self, rel: str, node=None) -> list[etree._Element]:
        return (self.root if node is None else node).findall(f"{ATOM}link[@rel='{rel}']")

    def link(self, rel: str) -> str | None:
        found = self.links(rel)
        return found[0].get("href") if found else None

    @property
    def entries(self) -> list[etree._Element]:
        return self.root.findall(f"{ATOM}entry")

    @property
    def titles(self) -> list[str]:
        return [e.title for e in self.feed.entries]


@pytest.fixture
def opds(client, opds_schema):
    """GET a catalogue address (absolute or not) and check what comes back."""

    def get(url: str, *, kind: str | None = None, with_client=None, **headers) -> Document:
        path = url.removeprefix("http://testserver")
        response = (with_client or client).get(path, **headers)
        assert response.status_code == 200, (path, response.status_code)
        content_type = response["Content-Type"]
        assert content_type.startswith("application/atom+xml;profile=opds-catalog"), content_type
        if kind:
            assert f"kind={kind}" in content_type
        return Document(response, opds_schema)

    return get
