"""Full-text search over works.

Search syntax (the `q` parameter), the same on SQLite and PostgreSQL:

- words: every word must appear (AND); case and accents do not matter, and anything that
  is not a letter or digit separates words (`harry/draco` is `harry draco`);
- `word*`: any word starting with `word` (its 500 most common completions);
- `"quoted words"`: those words next to each other, in that order;
- `-word`, `-word*`, `-"quoted words"`: leave out works that have it;
- nothing else is syntax (`OR`, brackets and stray quotes are plain words or ignored).

Words are looked up in title, creator names, tag names and summary. Chapter text is
searched only when asked (`q_body=1`, "search chapter text too"): it is the big part of
an archive, so ordinary searches stay in memory.

Where the lookups happen:

- title, creators, tags, summary: the filter index's word index (`filters.words`),
  mapped from the host's snapshot and kept fresh from the change log like every filter;
- phrases, and chapter text: the database's text index, one document per work (SQLite
  FTS5, or a PostgreSQL tsvector with GIN), written by `mark_changed` in the transaction
  of the write. Only the terms that need it are asked, each as a list of work ids; the
  filter index intersects them with everything else, so visibility and filters never
  depend on the text index.

Best match ranks by where the words are found (title 10, creators 6, tags 4, summary 2,
phrase 3, chapter text 1), each word weighed by its rarity (log(1 + works / matches)).
"""

from __future__ import annotations

import functools
import html as html_lib
import re
from collections.abc import Sequence

import numpy as np
from django.db import connection

from fanfold.filters.tokens import words_of
from fanfold.filters.word_query import Query

TABLE = "filters_worksearch"
MAX_MATCHES = 200_000
PG_GAP = "'_:1'::tsvector"
_TAGS = re.compile(r"<[^>]+>")


def search_document_texts(work_ids: Sequence[int]) -> dict[int, list]:
    """What each posted work's document is made of, as read from the database: title,
    summary, tag names, creator names, and (title, HTML) of each public chapter."""
    from fanfold.works.models import Chapter, Creatorship, Work, WorkTag

    # By primary key alone, `posted` checked here: SQLite without statistics (every
    # database until ANALYZE, and a restore's fresh tables) takes `posted = 1` to the
    # listing index on posted and reads every posted work for each call, 50,000 index
    # entries per chunk of 100 works at 50,000 works.
    works = Work.objects.filter(pk__in=work_ids).values_list("pk", "title", "summary", "posted")
    docs: dict[int, list] = {
        pk: [title, summary, "", "", []] for pk, title, summary, posted in works if posted
    }
    # In a fixed order (as tagged, as credited), so the same work always gets the same
    # document whatever plan the database picks for the join.
    tags = WorkTag.objects.filter(work_id__in=docs).order_by("pk")
    for work_id, name in tags.values_list("work_id", "tag__name"):
        docs[work_id][2] += name + " \n"
    creators = Creatorship.objects.filter(work_id__in=docs, approved=True).order_by("pk")
    for work_id, name in creators.values_list("work_id", "pseud__name"):
        docs[work_id][3] += name + " \n"
    chapters = Chapter.objects.public().filter(work_id__in=docs).order_by("position")
    for work_id, title, html in chapters.values_list("work_id", "title", "body_html"):
        docs[work_id][4].append((title, html))
    return docs


def search_document_words(texts: list) -> list[str]:
    """One document from `search_document_texts`, in words as the word index splits
    them, so both databases (and the in-memory index) agree on what a word is: no
    accents, no case, punctuation separates. Needs no database (worker processes)."""
    title, summary, tags, creators, chapters = texts
    body = "".join(f"{t}\n{html_lib.unescape(_TAGS.sub(' ', html))}\n" for t, html in chapters)
    return [" ".join(words_of(text)) for text in (title, summary, tags, creators, body)]


def search_documents_update(*, work_ids: Sequence[int]) -> None:
    """Rewrite the search documents of these works (drafts' are removed)."""
    search_documents_write(work_ids=work_ids, docs=search_documents_compute(work_ids))


def search_documents_compute(work_ids: Sequence[int]) -> dict[int, list[str]]:
    """The documents, without writing them: bulk jobs (an import) compute them in worker
    processes and write them from one."""
    return {pk: search_document_words(t) for pk, t in search_document_texts(work_ids).items()}


# A document's PostgreSQL text vector from its five fields. `||` numbers the right side
# on from the left's last word, so a phrase could run from one field into the next; a
# filler lexeme no query can contain (queries split on "_") keeps the fields apart, as
# FTS5's columns are.
PG_VECTOR = (
    f"setweight(to_tsvector('simple', {{title}}), 'A') || {PG_GAP} || "
    f"setweight(to_tsvector('simple', {{creators}}), 'A') || {PG_GAP} || "
    f"setweight(to_tsvector('simple', {{tags}}), 'B') || {PG_GAP} || "
    f"setweight(to_tsvector('simple', {{summary}}), 'C') || {PG_GAP} || "
    "setweight(to_tsvector('simple', {body}), 'D')"
)


def search_documents_write(*, work_ids: Sequence[int], docs: dict[int, list[str]]) -> None:
    """Replace these works' documents with `docs` (works missing from it get none)."""
    marks = ",".join("%s" for _ in work_ids)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DELETE FROM {TABLE} WHERE work_id IN ({marks})", list(work_ids))
            vector = PG_VECTOR.format(title="%s", creators="%s", tags="%s", summary="%s", body="%s")
            for work_id, (title, summary, tags, creators, body) in docs.items():
                cursor.execute(
                    f"INSERT INTO {TABLE} (work_id, document) VALUES (%s, {vector})",
                    [work_id, title, creators, tags, summary, body],
                )
        else:
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({marks})", list(work_ids))
            cursor.executemany(
                f"INSERT INTO {TABLE} (rowid, title, summary, tags, creators, body) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                [(pk, *doc) for pk, doc in docs.items()],
            )


def search_vectors(docs: dict[int, list[str]]) -> dict[int, bytes]:
    """PostgreSQL: the documents' text vectors, computed by this connection's server
    process and returned in binary, writing nothing. A bulk job (a restore) asks its
    workers' connections for them, so the servers' costly part, to_tsvector, runs in
    parallel, and its one writer only stores them (`search_vectors_write`)."""
    import psycopg

    vector = PG_VECTOR.format(
        title="d.title", creators="d.creators", tags="d.tags", summary="d.summary", body="d.body"
    )
    if not docs:
        return {}
    columns: list[list] = [list(docs), *map(list, zip(*docs.values(), strict=True))]
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(
            f"SELECT d.work_id, {vector} FROM unnest(%s::bigint[], %s::text[], %s::text[], "
            "%s::text[], %s::text[], %s::text[]) AS d(work_id, title, summary, tags, creators, "
            "body)",
            columns,
            binary=True,
        )
        return {pk: bytes(vec) for pk, vec in cursor.fetchall()}


def search_vectors_write(vectors: dict[int, bytes]) -> None:
    """PostgreSQL: store vectors from `search_vectors` (as works without a document)."""
    import psycopg

    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.adapters.register_dumper(_Vector, _vector_dumper())
        cursor.executemany(
            f"INSERT INTO {TABLE} (work_id, document) VALUES (%s, %s)",
            [(pk, _Vector(vec)) for pk, vec in vectors.items()],
        )


class _Vector(bytes):
    """A tsvector in PostgreSQL's binary format (sent as such, not as bytea)."""


@functools.cache
def _vector_dumper() -> type:
    from psycopg.adapt import Dumper
    from psycopg.pq import Format

    class VectorDumper(Dumper):
        format = Format.BINARY
        oid = 3614  # tsvector, a built-in type with a fixed oid

        def dump(self, obj: bytes) -> bytes:
            return obj

    return VectorDumper


def _fts5_columns(body: bool) -> str:
    return "{title summary tags creators body}" if body else "{title summary tags creators}"


def _tsquery_weights(body: bool) -> str:
    return "ABCD" if body else "ABC"


def database_matches(query: Query) -> dict[int, np.ndarray]:
    """Work ids per term number for the terms the word index cannot answer alone:
    phrases, and every positive or negative term's chapter-text hits when the query asks
    for chapter text."""
    found: dict[int, np.ndarray] = {}
    if query.empty:
        return found
    with connection.cursor() as cursor:
        for number, term in enumerate(query.terms):
            if not (term.phrase or query.body):
                continue
            if connection.vendor == "postgresql":
                if term.phrase:
                    weights = _tsquery_weights(query.body)
                    text = " <-> ".join(f"'{w}':{weights}" for w in term.words)
                else:
                    text = f"'{term.words[0]}':{'*' if term.prefix else ''}D"
                cursor.execute(
                    f"SELECT work_id FROM {TABLE} WHERE document @@ to_tsquery('simple', %s) "
                    "LIMIT %s",
                    [text, MAX_MATCHES],
                )
            else:
                words = '"' + " ".join(term.words) + '"' + ("*" if term.prefix else "")
                columns = _fts5_columns(query.body) if term.phrase else "{body}"
                cursor.execute(
                    f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s LIMIT %s",
                    [f"{columns} : {words}", MAX_MATCHES],
                )
            found[number] = np.fromiter((r[0] for r in cursor.fetchall()), dtype=np.int64)
    return found
