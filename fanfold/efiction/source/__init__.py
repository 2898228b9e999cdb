"""Read the rows of an eFiction archive from a SQL dump (`dump`) or a live MySQL database
(`mysql`); `base` holds what both readers share: the `Row` they hand out, the `Source`
interface the importer reads through, and how the archive's tables are found by prefix.

Both readers hand out strings as the raw bytes the database held: eFiction declared
latin1 but stored whatever the browser sent (UTF-8, cp1252, Shift_JIS...), so only the
importer, field by field, can decide how to decode them (see `decode.py`).
"""

from fanfold.efiction.source.base import Source
from fanfold.efiction.source.dump import DumpSource
from fanfold.efiction.source.mysql import MySQLSource


def open_source(path_or_url: str, *, prefix: str | None = None) -> Source:
    """A reader for `mysql://user:pass@host[:port]/db` or a dump file (.sql, .sql.gz)."""
    if path_or_url.startswith("mysql://"):
        return MySQLSource(path_or_url, prefix=prefix)
    return DumpSource(path_or_url, prefix=prefix)
