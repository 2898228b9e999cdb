"""Generate a realistic eFiction 3.5 mysqldump file, streaming, for the import benchmark.

    .venv/bin/python bench/efiction_dump.py OUT.sql [--stories 50000] [--seed 1] [--check]
                                            [--check-mariadb]

At the default size: 50,000 stories, 200,000 chapters of ~10 KB HTML each (stored in
`chapters.storytext`, `store='mysql'`), ~8,300 authors, ~3,300 series, ~100,000 reviews,
~50,000 favourites; about 2 GB. Tables come in mysqldump's order (alphabetical), each as
DROP/CREATE/LOCK/extended INSERTs of at most ~1 MB per line/UNLOCK. Only small per-story
facts are kept in memory (a few hundred bytes each); text is written as it is made.
The same seed gives the same bytes.

`--check` counts the rows again with a regex over the file (independent of the writer);
`--check-mariadb` loads the file into the MariaDB database `fanfold_wt_efbench` on
127.0.0.1 with the `mysql` client, compares `COUNT(*)` per table, and drops it.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

sys.path.insert(0, str(Path(__file__).resolve().parent))

from efiction_plan import END, Archive, when
from efiction_schema import TABLES, create_table
from efiction_text import lit, row

PREFIX = "fanfiction_"
INSERT_LIMIT = 1_046_528  # mysqldump's default net_buffer_length bounds each INSERT line
ROW = re.compile(rb"\((?:'(?:[^'\\]|\\.)*'|[^'()])*\)")

HEADER = b"""-- MySQL dump 10.13  Distrib 5.7.44, for Linux (x86_64)
--
-- Host: localhost    Database: efiction
-- ------------------------------------------------------
-- Server version\t5.7.44-log

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;
/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;
/*!40101 SET NAMES latin1 */;
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;
/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;
"""
FOOTER = b"""/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;

/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;
/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;
/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;

-- Dump completed on %s
"""


class DumpWriter:
    """mysqldump's layout: one structure block and one data block per table."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.counts: dict[str, int] = {}

    def table(self, table: str, rows: Iterable[bytes]) -> None:
        name = (PREFIX + table).encode()
        self.out.write(
            b"\n--\n-- Table structure for table `%s`\n--\n\nDROP TABLE IF EXISTS `%s`;\n"
            b"/*!40101 SET @saved_cs_client     = @@character_set_client */;\n"
            b"/*!40101 SET character_set_client = utf8 */;\n%s"
            b"/*!40101 SET character_set_client = @saved_cs_client */;\n\n"
            b"--\n-- Dumping data for table `%s`\n--\n\nLOCK TABLES `%s` WRITE;\n"
            b"/*!40000 ALTER TABLE `%s` DISABLE KEYS */;\n"
            % (name, name, create_table(PREFIX + table).encode(), name, name, name)
        )
        head = b"INSERT INTO `%s` VALUES " % name
        batch: list[bytes] = []
        size = count = 0
        for item in rows:
            if batch and size + len(item) + 1 > INSERT_LIMIT:
                self.out.write(head + b",".join(batch) + b";\n")
                batch, size = [], len(head)
            batch.append(item)
            size += len(item) + 1
            count += 1
        if batch:
            self.out.write(head + b",".join(batch) + b";\n")
        self.out.write(b"/*!40000 ALTER TABLE `%s` ENABLE KEYS */;\nUNLOCK TABLES;\n" % name)
        self.counts[table] = count


# --- the big tables -----------------------------------------------------------------------


def chapter_rows(arc: Archive) -> Iterable[bytes]:
    rng, words = arc.rng, arc.words
    for story in arc.stories:
        validated = b"0" if story.validated == "0" else b"1"
        for position in range(story.chapters):
            chapid = story.first_chapid + position
            flavour = arc.flavour()
            body, count = arc.pool.chapter(rng, flavour, plain=rng.random() < 0.05)
            story.wordcount += count
            title = words.title() if rng.random() < 0.6 else f"Chapter {position + 1}"
            notes = words.text(2).encode() if rng.random() < 0.2 else b""
            endnotes = words.text(1).encode() if rng.random() < 0.1 else None
            uid = story.coauthor if story.coauthor and rng.random() < 0.3 else story.uid
            yield b"(%d,%s,%d,%s,'%s',%s,'%s',%d,%d,%d,%d,%d,%d)" % (
                chapid, lit(title), position + 1, lit(notes), body, lit(endnotes),
                validated, count, arc.chapter_rating(chapid), arc.chapter_reviews[chapid],
                story.sid, uid, rng.randint(0, 5000),
            )  # fmt: skip


def story_rows(arc: Archive) -> Iterable[bytes]:
    rng, words = arc.rng, arc.words
    for s in arc.stories:
        summary = arc.summary()
        notes = words.text(2).encode() if rng.random() < 0.15 else b""
        yield row(
            s.sid, arc.encoded(words.title(1, 6)), summary, notes, s.cats, s.classes,
            s.chars, str(s.rid), when(s.date), when(s.updated), s.uid,
            "1" if s.coauthor else "0", s.featured, s.validated, s.completed,
            "1" if rng.random() < 0.01 else "0", s.wordcount, s.rating(), s.reviews,
            rng.randint(0, 40_000), str(s.challenge),
        )  # fmt: skip


def review_rows(arc: Archive) -> Iterable[bytes]:
    rng, words = arc.rng, arc.words
    for reviewid, (item, chapid, kind, uid, rating, date) in enumerate(arc.reviews, 1):
        reviewer = arc.pennames[uid - 1] if uid else "Guest " + words.name()
        if rating != -1 and rng.random() < 0.1:
            text = b"No Review"
        else:
            text = arc.encoded(words.text(rng.randint(1, 4)))
        respond = "1" if text != b"No Review" and rng.random() < 0.12 else "0"
        if respond == "1":
            text += b"<br><br><i>Author's Response: " + words.text(1).encode() + b"</i>"
        yield row(reviewid, item, chapid, reviewer, uid, text, when(date), rating, respond, kind)


def favourite_rows(arc: Archive) -> Iterable[bytes]:
    rng, seen = arc.rng, set()
    while len(seen) < len(arc.stories):
        roll = rng.random()
        if roll < 0.85:
            key = (rng.randint(1, arc.n_authors), "ST", rng.randint(1, len(arc.stories)))
        elif roll < 0.95 or not arc.series:
            key = (rng.randint(1, arc.n_authors), "AU", rng.randint(1, arc.n_authors))
        else:
            key = (rng.randint(1, arc.n_authors), "SE", rng.randint(1, len(arc.series)))
        if key in seen:
            continue
        seen.add(key)
        uid, kind, item = key
        yield row(uid, item, kind, arc.words.text(1) if rng.random() < 0.1 else "")


def author_rows(arc: Archive) -> Iterable[bytes]:
    rng, words = arc.rng, arc.words
    for uid, penname in enumerate(arc.pennames, 1):
        slug = penname.lower().replace(" ", "")
        bio = arc.encoded(words.text(rng.randint(1, 5))) if rng.random() < 0.3 else b""
        joined = arc.joined[uid - 1]
        password = hashlib.md5(f"pw{uid}".encode()).hexdigest()  # noqa: S324 - eFiction's own
        yield row(uid, penname, words.name() + " " + words.name(), f"{slug}{uid}@example.org",
                  bio, "", when(joined), "0", password)  # fmt: skip


def authorpref_rows(arc: Archive) -> Iterable[bytes]:
    rng = arc.rng
    for uid in range(1, arc.n_authors + 1):
        level = 1 if uid == 1 else (3 if uid <= 4 else 0)
        consent, alerts, trusted = (int(rng.random() < p) for p in (0.6, 0.5, 0.1))
        yield row(uid, 1, 1, consent, alerts, 1, 0, 0, trusted, "default", level, "0", 1,
                  arc.story_counts[uid])  # fmt: skip


def authorinfo_rows(arc: Archive) -> Iterable[bytes]:
    rng = arc.rng
    for uid in range(1, arc.n_authors + 1):
        if rng.random() < 0.2:
            yield row(uid, 1, f"http://www.example.net/~{arc.pennames[uid - 1].split()[0]}")
        if rng.random() < 0.1:
            yield row(uid, 3, "1")


# --- the whole file -----------------------------------------------------------------------


def write_dump(path: Path, *, stories: int = 50_000, seed: int = 1) -> dict[str, int]:
    """Write the dump to `path` (via a temporary file) and return the row count per table.

    The extra keys `bytes` and `words` give the file size and the chapters' word total.
    """
    arc = Archive(stories, seed)
    producers = {
        "authorfields": arc.authorfield_rows,
        "authorinfo": lambda: authorinfo_rows(arc),
        "authorprefs": lambda: authorpref_rows(arc),
        "authors": lambda: author_rows(arc),
        "blocks": arc.block_rows,
        "categories": arc.category_rows,
        "challenges": arc.challenge_rows,
        "chapters": lambda: chapter_rows(arc),
        "characters": arc.character_rows,
        "classes": arc.class_rows,
        "classtypes": arc.classtype_rows,
        "coauthors": arc.coauthor_rows,
        "codeblocks": arc.codeblock_rows,
        "comments": arc.comment_rows,
        "favorites": lambda: favourite_rows(arc),
        "inseries": arc.inseries_rows,
        "log": arc.log_rows,
        "messages": arc.message_rows,
        "modules": arc.module_rows,
        "news": arc.news_rows,
        "pagelinks": arc.pagelink_rows,
        "panels": arc.panel_rows,
        "ratings": arc.rating_rows,
        "reviews": lambda: review_rows(arc),
        "series": arc.series_rows,
        "settings": arc.settings_rows,
        "stats": arc.stats_rows,
        "stories": lambda: story_rows(arc),
    }
    assert sorted(producers) == sorted(TABLES) == list(producers)  # mysqldump's order
    partial = path.with_name(path.name + ".partial")
    with partial.open("wb", buffering=16 << 20) as out:
        out.write(HEADER)
        writer = DumpWriter(out)
        for table, produce in producers.items():
            writer.table(table, produce())
        out.write(b"\n" + FOOTER % when(END).encode())
    partial.replace(path)
    return {**writer.counts, "bytes": path.stat().st_size, "words": arc.total_words()}


def count_rows(path: Path) -> Counter[str]:
    """Rows per table, counted by a regex over the INSERT lines (not by the writer)."""
    counts: Counter[str] = Counter()
    head = re.compile(rb"^INSERT INTO `(?:\w*?)fanfiction_(\w+)` VALUES ")
    with path.open("rb") as dump:
        for line in dump:
            match = head.match(line)
            if match:
                counts[match.group(1).decode()] += len(ROW.findall(line, match.end()))
    return counts


def check_mariadb(path: Path, expected: dict[str, int], database: str) -> int:
    """Load the dump into MariaDB and compare COUNT(*) per table; return the mismatches."""
    mysql = ["mysql", "-h127.0.0.1", "-uroot", "--default-character-set=latin1"]
    subprocess.run([*mysql, "-e", f"DROP DATABASE IF EXISTS `{database}`; CREATE DATABASE "  # noqa: S603
                    f"`{database}` CHARACTER SET latin1"], check=True)  # fmt: skip
    try:
        with path.open("rb") as dump:
            subprocess.run([*mysql, database], stdin=dump, check=True)  # noqa: S603
        count = "SELECT '{0}', COUNT(*) FROM `" + PREFIX + "{0}`"  # noqa: S608 - our names
        union = " UNION ALL ".join(count.format(t) for t in TABLES)
        done = subprocess.run([*mysql, "-N", "-e", union, database],  # noqa: S603
                              check=True, capture_output=True, text=True)  # fmt: skip
        loaded = {t: int(n) for t, n in (line.split("\t") for line in done.stdout.splitlines())}
    finally:
        subprocess.run([*mysql, "-e", f"DROP DATABASE IF EXISTS `{database}`"], check=True)  # noqa: S603
    bad = {t: (expected[t], loaded.get(t)) for t in TABLES if loaded.get(t) != expected[t]}
    print(f"MariaDB: {sum(loaded.values()):,} rows in {len(loaded)} tables; "
          f"mismatches: {bad or 'none'}")  # fmt: skip
    return len(bad)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--stories", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--check", action="store_true", help="recount rows with a regex")
    parser.add_argument("--check-mariadb", metavar="DB", nargs="?", const="fanfold_wt_efbench")
    args = parser.parse_args()
    started = time.perf_counter()
    counts = write_dump(args.out, stories=args.stories, seed=args.seed)
    seconds = time.perf_counter() - started
    print(f"{args.out}: {counts['bytes'] / 1e6:,.1f} MB in {seconds:.1f} s "
          f"({counts['bytes'] / 1e6 / seconds:.0f} MB/s)")  # fmt: skip
    print(", ".join(f"{t} {n:,}" for t, n in counts.items()))
    failures = 0
    if args.check:
        recount = count_rows(args.out)
        bad = {t: (counts[t], recount[t]) for t in TABLES if recount[t] != counts[t]}
        print(f"regex recount: {sum(recount.values()):,} rows; mismatches: {bad or 'none'}")
        failures += len(bad)
    if args.check_mariadb:
        failures += check_mariadb(args.out, counts, args.check_mariadb)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
