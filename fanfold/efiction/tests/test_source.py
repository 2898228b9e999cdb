"""The dump and MySQL readers: what rows, values and problems come out of real formats."""

import gzip
import random
from pathlib import Path
from typing import Any

import pytest

from fanfold.efiction.source import open_source
from fanfold.efiction.source.base import Row, Source, SourceError
from fanfold.efiction.source.dump import DumpSource
from fanfold.efiction.tests.conftest import mariadb_or_skip

MYSQLDUMP = b"""-- MySQL dump 10.13  Distrib 5.7.42, for Linux (x86_64)
--
-- Host: localhost    Database: efiction
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET NAMES utf8 */;

--
-- Table structure for table `fanfiction_chapters`
--

DROP TABLE IF EXISTS `fanfiction_chapters`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
CREATE TABLE `fanfiction_chapters` (
  `chapid` int(11) NOT NULL AUTO_INCREMENT,
  `title` varchar(250) NOT NULL DEFAULT 'it''s; (not) a column',
  `sid` int(11) NOT NULL DEFAULT '0',
  `score` decimal(5,2) DEFAULT NULL,
  PRIMARY KEY (`chapid`),
  KEY `forstoryblock` (`sid`,`title`)
) ENGINE=MyISAM AUTO_INCREMENT=4 DEFAULT CHARSET=latin1;

LOCK TABLES `fanfiction_chapters` WRITE;
/*!40000 ALTER TABLE `fanfiction_chapters` DISABLE KEYS */;
%s
/*!40000 ALTER TABLE `fanfiction_chapters` ENABLE KEYS */;
UNLOCK TABLES;

DROP TABLE IF EXISTS `fanfiction_stories`;
CREATE TABLE `fanfiction_stories` (
  `sid` int(11) NOT NULL AUTO_INCREMENT,
  `title` varchar(200) NOT NULL DEFAULT '',
  PRIMARY KEY (`sid`)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
INSERT INTO `fanfiction_stories` VALUES (7,'Caf\xc3\xa9 \x93quoted\x94');
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
-- Dump completed on 2024-01-01  0:00:00
""" % (
    b"INSERT INTO `fanfiction_chapters` VALUES "
    b"(1,'a\\'b\\\\c\\nd\\re\\tf\\0g\\Zh\\\"i',7,1.5),(2,'',7,NULL),(3,'x;y),(z',-8,-2.25e1);"
)


def write(tmp_path: Path, data: bytes, name: str = "dump.sql") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def rows(source: Source, *tables: str) -> list[Row]:
    return list(source.rows(tables))


def test_mysqldump_columns_come_from_create_table(tmp_path: Path) -> None:
    source = open_source(write(tmp_path, MYSQLDUMP))
    assert isinstance(source, DumpSource)
    assert source.prefix == "fanfiction_"
    assert source.tables() == {"chapters", "stories"}
    got = rows(source, "chapters")
    assert [r.values for r in got] == [
        {"chapid": 1, "title": b"a'b\\c\nd\re\tf\0g\x1ah\"i", "sid": 7, "score": 1.5},
        {"chapid": 2, "title": b"", "sid": 7, "score": None},
        {"chapid": 3, "title": b"x;y),(z", "sid": -8, "score": -22.5},
    ]
    assert {r.where for r in got} == {"dump.sql:24"}
    assert source.problems == []


def test_strings_are_raw_bytes_never_decoded(tmp_path: Path) -> None:
    source = open_source(write(tmp_path, MYSQLDUMP))
    (story,) = rows(source, "stories")
    assert story == Row(
        "stories", {"sid": 7, "title": b"Caf\xc3\xa9 \x93quoted\x94"}, "dump.sql:34"
    )


def test_only_asked_tables_and_each_call_a_new_pass(tmp_path: Path) -> None:
    source = open_source(write(tmp_path, MYSQLDUMP))
    assert [r.table for r in rows(source, "stories")] == ["stories"]
    assert len(rows(source, "chapters", "stories")) == 4
    assert len(rows(source, "chapters", "stories")) == 4
    assert rows(source, "reviews") == []


def test_escapes_hex_and_introducers(tmp_path: Path) -> None:
    dump = (
        b"INSERT INTO fanfiction_stories (sid, title, summary, notes) VALUES "
        b"(1, 0x00FF41, X'4142', _binary'\\%\\_'),"
        b"(2, _latin1 'it''s', 'say \"\"hi\"\"', '\\b\\x'),"
        b"(3, '', NULL, +4);\n"
        b"INSERT INTO fanfiction_chapters (chapid) VALUES (1);\n"
    )
    source = open_source(write(tmp_path, dump))
    assert [r.values for r in rows(source, "stories")] == [
        {"sid": 1, "title": b"\x00\xffA", "summary": b"AB", "notes": b"\\%\\_"},
        {"sid": 2, "title": b"it's", "summary": b'say ""hi""', "notes": b"\bx"},
        {"sid": 3, "title": b"", "summary": None, "notes": 4},
    ]


def test_column_list_insert_ignore_and_replace(tmp_path: Path) -> None:
    dump = (
        b"INSERT IGNORE INTO `fanfiction_stories` (`title`, `sid`) VALUES ('b', 2);\n"
        b"REPLACE INTO fanfiction_stories (sid,title) VALUES (3,'c');\n"
        b"insert into fanfiction_chapters (chapid) values (1);\n"
    )
    source = open_source(write(tmp_path, dump))
    assert [r.values for r in rows(source, "stories")] == [
        {"title": b"b", "sid": 2},
        {"sid": 3, "title": b"c"},
    ]


def test_backup_format_uses_schema_order_and_double_quotes(tmp_path: Path) -> None:
    story = (
        b'INSERT INTO arch_fanfiction_stories VALUES ("4","Two\nlines \\"quoted\\"",'
        b'"sum","","1","","","2","2006-05-01 10:00:00","0000-00-00 00:00:00","3","0",'
        b'"0","1","1","0","120","0","0","15","");\n'
    )
    dump = story + b'INSERT INTO arch_fanfiction_chapters VALUES ("1");\n'
    source = open_source(write(tmp_path, dump))
    assert source.prefix == "arch_fanfiction_"
    (row,) = rows(source, "stories")
    assert row.values["sid"] == b"4"
    assert row.values["title"] == b'Two\nlines "quoted"'
    assert row.values["updated"] == b"0000-00-00 00:00:00"
    assert row.values["challenges"] == b""
    assert len(row.values) == 21
    # The chapter row has 1 value for the 13 columns of chapters.
    assert rows(source, "chapters") == []
    assert source.problems == ["dump.sql:3: 1 values for 13 columns of chapters; row skipped"]


def test_statement_split_across_chunks(tmp_path: Path) -> None:
    big = b"x" * 5000 + b"\\'" + b"y" * 3000
    dump = (
        b"INSERT INTO fanfiction_stories (sid, title) VALUES (1,'"
        + big
        + b"'),(2,'it''s'),(3,'\\\\');\n-- a comment that ends ; 'not' a string\n"
        b"INSERT INTO fanfiction_chapters (chapid, title) VALUES (9,'z');\n"
    )
    for chunk in (7, 64, 1000, 4097):
        source = DumpSource(write(tmp_path, dump), chunk=chunk)
        assert [r.values for r in rows(source, "stories")] == [
            {"sid": 1, "title": b"x" * 5000 + b"'" + b"y" * 3000},
            {"sid": 2, "title": b"it's"},
            {"sid": 3, "title": b"\\"},
        ], chunk
        assert [r.where for r in rows(source, "chapters")] == ["dump.sql:3"]
        assert source.problems == []


def test_broken_input_is_reported_with_lines_and_the_pass_goes_on(tmp_path: Path) -> None:
    dump = (
        b"INSERT INTO fanfiction_chapters (chapid, sid) VALUES (1, 1),(2, 1, 5),(3, 1);\n"
        b"this line is not sql at all\n"
        b"INSERT INTO fanfiction_chapters (chapid, sid) VALUES (4, oops), (5, 1);\n"
        b"INSERT INTO fanfiction_stories (sid) VALUES (1);\n"
        b"INSERT INTO fanfiction_chapters (chapid, sid) VALUES (6, 1),(7, 'cut\n"
    )
    source = open_source(write(tmp_path, dump))
    assert [r.values["chapid"] for r in rows(source, "chapters")] == [1, 3, 6]
    assert source.problems == [
        "dump.sql:1: 3 values for 2 columns of chapters; row skipped",
        "dump.sql:2: text that is not a SQL statement skipped ('this line is not sql at all')",
        "dump.sql:3: INSERT into fanfiction_chapters cannot be parsed; rest of statement skipped",
        "dump.sql:5: statement cut off at end of file",
    ]
    # A second pass reports nothing new.
    list(source.rows(["chapters"]))
    assert len(source.problems) == 4
    assert [r.values["sid"] for r in rows(source, "stories")] == [1]


def test_gzipped_dump(tmp_path: Path) -> None:
    path = tmp_path / "dump.sql.gz"
    path.write_bytes(gzip.compress(MYSQLDUMP))
    source = open_source(str(path))
    assert len(rows(source, "chapters")) == 3


def test_prefix_detection(tmp_path: Path) -> None:
    two = (
        b"INSERT INTO a_fanfiction_stories (sid) VALUES (1);\n"
        b"INSERT INTO a_fanfiction_chapters (chapid) VALUES (1);\n"
        b"INSERT INTO b_fanfiction_stories (sid) VALUES (2);\n"
        b"INSERT INTO b_fanfiction_chapters (chapid) VALUES (2);\n"
        b"INSERT INTO wp_stories (sid) VALUES (3);\n"
    )
    path = write(tmp_path, two)
    with pytest.raises(SourceError, match="'a_fanfiction_', 'b_fanfiction_'"):
        open_source(path)
    source = open_source(path, prefix="b_fanfiction_")
    assert source.tables() == {"stories", "chapters"}
    assert [r.values for r in source.rows(["stories"])] == [{"sid": 2}]
    with pytest.raises(SourceError, match=r"no c_stories table; .* 'a_fanfiction_', 'b_f"):
        open_source(path, prefix="c_")
    # The prefix may be empty, and a lone `stories` table beside `chapters` counts.
    bare = b"INSERT INTO stories (sid) VALUES (1);\nINSERT INTO chapters (chapid) VALUES (1);\n"
    assert open_source(write(tmp_path, bare, "bare.sql")).prefix == ""


def test_settings_under_their_own_prefix(tmp_path: Path) -> None:
    # config.php's $settingsprefix may differ from the tables' prefix.
    dump = (
        b"INSERT INTO site_fanfiction_settings (sitekey, store) VALUES ('k', 'files');\n"
        b"INSERT INTO arch_fanfiction_stories (sid) VALUES (1);\n"
        b"INSERT INTO arch_fanfiction_chapters (chapid) VALUES (1);\n"
    )
    source = open_source(write(tmp_path, dump))
    assert source.prefix == "arch_fanfiction_"
    assert source.tables() == {"settings", "stories", "chapters"}
    (settings,) = rows(source, "settings")
    assert settings == Row("settings", {"sitekey": b"k", "store": b"files"}, "dump.sql:1")


def test_insert_forms_not_understood_are_reported(tmp_path: Path) -> None:
    dump = (
        b"INSERT INTO fanfiction_stories SET sid = 1, title = 'x';\n"
        b"INSERT INTO fanfiction_stories (sid) VALUES (2);\n"
        b"INSERT INTO fanfiction_chapters (chapid) VALUES (1);\n"
    )
    source = open_source(write(tmp_path, dump))
    assert [r.values for r in rows(source, "stories")] == [{"sid": 2}]
    assert source.problems == ["dump.sql:1: INSERT statement in a form not understood; skipped"]


def test_unreadable_input(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        open_source(str(tmp_path / "missing.sql"))
    with pytest.raises(SourceError, match="no CREATE TABLE or INSERT"):
        open_source(write(tmp_path, b"\x89PNG\r\n\x1a\n binary stuff"))
    with pytest.raises(SourceError, match="no eFiction tables"):
        open_source(write(tmp_path, b"INSERT INTO wp_posts (id) VALUES (1);"))


def test_progress_reports_bytes(tmp_path: Path) -> None:
    source = open_source(write(tmp_path, MYSQLDUMP))
    seen: list[int] = []
    list(source.rows(["stories"], progress=seen.append))
    assert seen[-1] == len(MYSQLDUMP) == source.total


FIXTURES = Path(__file__).parent / "fixtures"


def by_id(source: Source, table: str, key: str) -> dict[Any, dict[str, Any]]:
    return {r.values[key]: r.values for r in source.rows([table])}


def test_full_fixture() -> None:
    source = open_source(str(FIXTURES / "full" / "dump.sql"))
    assert source.prefix == "fanfiction_"
    assert len(source.tables()) == 28
    counts: dict[str, int] = {}
    for row in source.rows(source.tables()):
        counts[row.table] = counts.get(row.table, 0) + 1
    assert counts["stories"] == 10 and counts["chapters"] == 24 and counts["reviews"] == 7
    assert "blocks" not in counts  # CREATE TABLE only
    assert source.problems == []

    authors = by_id(source, "authors", "uid")
    assert authors[2]["penname"] == b"Zo\xc3\xab Writer"
    assert authors[1]["password"] == b"1bc85403ab30df21e0c53527c2c540c7"
    stories = by_id(source, "stories", "sid")
    assert stories[1]["summary"] == b"Mira&#8217;s journey &quot;home&quot; begins."
    assert stories[2]["summary"] == b"\x93Fire remembers,\x94 she said. It\x92s late\x85"
    assert stories[6]["updated"] == b"0000-00-00 00:00:00"
    assert stories[7]["storynotes"] == "Café’s regulars".encode().decode("cp1252").encode()
    assert stories[5]["validated"] == b"0" and stories[2]["wordcount"] == 99999
    chapters = by_id(source, "chapters", "chapid")
    assert chapters[7]["storytext"] == b"<p>A child found the egg.</p>\r\n<p>She kept it warm.</p>"
    assert (
        chapters[16]["storytext"] == b"The lantern is out\nthe road is dark\n\nand still I walk\n"
    )
    assert b"<script>alert('hi')</script>" in chapters[19]["storytext"]
    settings = next(iter(source.rows(["settings"]))).values
    assert settings["store"] == b"mysql" and settings["smtp_host"] is None


def test_backup_fixture() -> None:
    source = open_source(str(FIXTURES / "backup" / "dump.sql"))
    assert source.prefix == "myarch_fanfiction_"
    stories = by_id(source, "stories", "sid")
    assert set(stories) == {b"1", b"2", b"6"}
    assert stories[b"1"]["title"] == b'The "Lantern"\nRoad'
    assert stories[b"2"]["summary"] == b"\x93Fire remembers,\x94 she said. It\x92s late\x85"
    chapters = by_id(source, "chapters", "chapid")
    assert (
        chapters[b"7"]["storytext"] == b"<p>A child found the egg.</p>\r\n<p>She kept it warm.</p>"
    )
    assert len(chapters) == 9
    assert source.problems == []


def test_broken_fixture() -> None:
    source = open_source(str(FIXTURES / "broken" / "dump.sql"))
    assert sorted(by_id(source, "stories", "sid")) == [1, 2, 11]
    assert sorted(by_id(source, "chapters", "chapid")) == [1, 2, 3, 4, 5, 6, 7, 8, 25]
    assert source.problems == [
        "dump.sql:96: text that is not a SQL statement skipped "
        "('Warning: mysqldump: Got error 2013: Lost')",
        "dump.sql:144: 3 values for 21 columns of stories; row skipped",
        "dump.sql:148: statement cut off at end of file",
    ]


def test_string_ratings_fixture() -> None:
    source = open_source(str(FIXTURES / "string_ratings" / "dump.sql"))
    rids = {k: v["rid"] for k, v in by_id(source, "stories", "sid").items()}
    assert rids == {1: b"G", 2: b"R", 3: b"PG-13", 9: b"NC-17"}


# -- MySQLSource against the real MariaDB -------------------------------------------------


def test_mysql_source_yields_the_dumps_rows_byte_for_byte(loaded_database: str) -> None:
    mysql = open_source(loaded_database)
    dump = open_source(str(FIXTURES / "full" / "dump.sql"))
    assert mysql.description == loaded_database.replace(":3306", "")
    assert mysql.prefix == "fanfiction_"
    assert mysql.total is None
    assert mysql.tables() == dump.tables()
    for table in sorted(dump.tables()):
        from_mysql = [r.values for r in mysql.rows([table])]
        from_dump = [r.values for r in dump.rows([table])]
        assert from_mysql == from_dump, table
    assert {r.where for r in mysql.rows(["stories"])} == {"mysql fanfiction_stories"}
    # Latin1-declared columns holding UTF-8 and cp1252 bytes come back unconverted.
    authors = by_id(mysql, "authors", "uid")
    assert authors[2]["penname"] == b"Zo\xc3\xab Writer"
    stories = by_id(mysql, "stories", "sid")
    assert stories[2]["summary"] == b"\x93Fire remembers,\x94 she said. It\x92s late\x85"
    assert stories[6]["updated"] == b"0000-00-00 00:00:00"
    assert mysql.problems == []


def test_mysql_source_errors() -> None:
    mariadb_or_skip()
    with pytest.raises(SourceError, match="cannot connect"):
        open_source("mysql://root@127.0.0.1:3306/fanfold_no_such_database_here")
    with pytest.raises(SourceError, match="not a mysql://"):
        open_source("mysql://root@127.0.0.1")


def test_fast_and_general_unescaping_agree(tmp_path: Path) -> None:
    # Random strings built from every kind of escape and plain text: the C-speed path
    # for common escapes must give what MySQL's rules give.
    rnd = random.Random(5)
    pieces = [b"a", b"\\n", b"\\r", b"\\t", b"\\'", b'\\"', b"\\\\", b"\\0", b"\\Z", b"\\%"]
    pieces += [b"\\x", b"\\\n", b"''", b"\xe9", b"\\b", b"12"]
    expected = {
        b"\\0": b"\0",
        b"\\Z": b"\x1a",
        b"\\%": b"\\%",
        b"\\x": b"x",
        b"\\\n": b"\n",
        b"''": b"'",
        b"\\b": b"\b",
        b"\\n": b"\n",
        b"\\r": b"\r",
        b"\\t": b"\t",
        b"\\'": b"'",
        b'\\"': b'"',
        b"\\\\": b"\\",
    }
    lines, wanted = [], []
    for i in range(300):
        chosen = [rnd.choice(pieces[: 7 if i % 2 else len(pieces)]) for _ in range(12)]
        lines.append(b"(%d,'%s')" % (i, b"".join(chosen)))
        wanted.append(b"".join(expected.get(p, p) for p in chosen))
    dump = b"INSERT INTO fanfiction_stories (sid, title) VALUES " + b",".join(lines) + b";\n"
    dump += b"INSERT INTO fanfiction_chapters (chapid) VALUES (1);\n"
    source = open_source(write(tmp_path, dump))
    assert [r.values["title"] for r in rows(source, "stories")] == wanted


@pytest.mark.parametrize("fixture", ["full", "backup", "broken"])
def test_small_chunks_read_the_fixtures_the_same(fixture: str) -> None:
    path = str(FIXTURES / fixture / "dump.sql")
    whole = DumpSource(path)
    expected = list(whole.rows(whole.tables()))
    for chunk in (5, 333, 4096):
        source = DumpSource(path, chunk=chunk)
        assert list(source.rows(source.tables())) == expected, chunk
        assert source.problems == whole.problems
