"""Full-text search over works: SQLite FTS5 or a PostgreSQL tsvector with GIN.

One document per work (title, summary, tag names, creator names, chapter text), written
by `mark_changed` in the transaction of the write. A search returns work ids and a score
(lower is better on both backends); the filter index intersects them with everything
else, so visibility and filters never depend on the text index.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from django.db import connection

TABLE = "filters_worksearch"
# Title and creators weigh most, as readers search for those; chapter text least.
SQLITE_WEIGHTS = "10.0, 2.0, 4.0, 6.0, 1.0"
MAX_MATCHES = 200_000
_TAGS = re.compile(r"<[^>]+>")
_TOKEN = re.compile(r'-?"[^"]+"|\S+')


def _documents(work_ids: Sequence[int]) -> dict[int, list[str]]:
    """title, summary, tags, creators, chapter text for each posted work."""
    from fanfold.works.models import Chapter, Creatorship, Work, WorkTag

    docs = {
        pk: [title, summary, "", "", ""]
        for pk, title, summary in Work.objects.filter(pk__in=work_ids, posted=True).values_list(
            "pk", "title", "summary"
        )
    }
    for work_id, name in WorkTag.objects.filter(work_id__in=docs).values_list(
        "work_id", "tag__name"
    ):
        docs[work_id][2] += name + " \n"
    creators = Creatorship.objects.filter(work_id__in=docs, approved=True)
    for work_id, name in creators.values_list("work_id", "pseud__name"):
        docs[work_id][3] += name + " \n"
    chapters = Chapter.objects.filter(work_id__in=docs, posted=True).order_by("position")
    for work_id, title, html in chapters.values_list("work_id", "title", "body_html"):
        docs[work_id][4] += f"{title}\n{_TAGS.sub(' ', html)}\n"
    return docs


def search_documents_update(*, work_ids: Sequence[int]) -> None:
    """Rewrite the search documents of these works (drafts' are removed)."""
    docs = _documents(work_ids)
    marks = ",".join("%s" for _ in work_ids)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DELETE FROM {TABLE} WHERE work_id IN ({marks})", list(work_ids))
            for work_id, (title, summary, tags, creators, body) in docs.items():
                cursor.execute(
                    f"INSERT INTO {TABLE} (work_id, document) VALUES (%s, "
                    "setweight(to_tsvector('simple', %s), 'A') || "
                    "setweight(to_tsvector('simple', %s), 'A') || "
                    "setweight(to_tsvector('simple', %s), 'B') || "
                    "setweight(to_tsvector('simple', %s), 'C') || "
                    "setweight(to_tsvector('simple', %s), 'D'))",
                    [work_id, title, creators, tags, summary, body],
                )
        else:
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({marks})", list(work_ids))
            cursor.executemany(
                f"INSERT INTO {TABLE} (rowid, title, summary, tags, creators, body) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                [(pk, *doc) for pk, doc in docs.items()],
            )


def fts5_query(text: str) -> str:
    """A reader's words as a safe FTS5 query: every word must appear, `-word` must not,
    `word*` matches a prefix, "quoted words" a phrase. Nothing else is syntax."""
    wanted: list[str] = []
    unwanted: list[str] = []
    for token in _TOKEN.findall(text):
        negative = token.startswith("-") and len(token) > 1
        token = token[1:] if negative else token
        prefix = token.endswith("*") and not token.startswith('"')
        words = token.strip('"*').replace('"', " ").split()
        if not words:
            continue
        term = '"' + " ".join(words) + '"' + ("*" if prefix else "")
        (unwanted if negative else wanted).append(term)
    if not wanted:
        return ""
    # FTS5 has no standalone NOT: exclusions hang off the required words.
    return " ".join(wanted) + "".join(f" NOT {term}" for term in unwanted)


def search_work_ids(text: str, *, ranked: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Ids of every work matching `text` and their scores (lower is better).

    Without `ranked` the scores are all zero and the database skips computing them.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT work_id, {'-ts_rank(document, q)' if ranked else '0'} FROM {TABLE}, "
                "websearch_to_tsquery('simple', %s) q WHERE document @@ q LIMIT %s",
                [text, MAX_MATCHES],
            )
        else:
            query = fts5_query(text)
            if not query:
                return np.zeros(0, dtype=np.int64), np.zeros(0)
            score = f"bm25({TABLE}, {SQLITE_WEIGHTS})" if ranked else "0"
            cursor.execute(
                f"SELECT rowid, {score} FROM {TABLE} WHERE {TABLE} MATCH %s LIMIT %s",
                [query, MAX_MATCHES],
            )
        rows = cursor.fetchall()
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    table = np.array(rows, dtype=np.float64)
    return table[:, 0].astype(np.int64), table[:, 1]
