"""Rows from a live eFiction database over PyMySQL, as raw bytes whatever the declared
charset, like the dump reader's quoted values.
"""

from collections.abc import Callable, Collection, Iterator
from typing import Any
from urllib.parse import unquote, urlsplit

from fanfold.efiction.source.base import Row, SourceError, detect_prefix, table_map


def parse_mysql_url(url: str) -> dict[str, object]:
    """Connection keywords for PyMySQL from `mysql://user:pass@host[:port]/db`."""
    parts = urlsplit(url)
    db = unquote(parts.path.lstrip("/"))
    if parts.scheme != "mysql" or not db:
        raise SourceError(f"not a mysql://user:pass@host[:port]/db address: {url}")
    return {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 3306,
        "user": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "database": db,
    }


class MySQLSource:
    """Rows from a live eFiction database, as raw bytes whatever the declared charset."""

    def __init__(self, url: str, *, prefix: str | None = None) -> None:
        self._params = parse_mysql_url(url)
        p = self._params
        port = "" if p["port"] == 3306 else f":{p['port']}"
        self.description = f"mysql://{p['user']}@{p['host']}{port}/{p['database']}"
        self.total: int | None = None
        self.problems: list[str] = []
        with self._connect() as conn, conn.cursor() as cur:
            cur.execute("SHOW TABLES")
            self._names = [bytes(name).decode("utf-8", "replace") for (name,) in cur.fetchall()]
        self.prefix = detect_prefix(self._names, prefix)

    def tables(self) -> set[str]:
        return set(table_map(self._names, self.prefix).values())

    def rows(
        self, tables: Collection[str], progress: Callable[[int], None] | None = None
    ) -> Iterator[Row]:
        import pymysql.cursors

        names = table_map(self._names, self.prefix)
        with self._connect() as conn:
            for name, base in names.items():
                if base not in tables:
                    continue
                where = f"mysql {name}"
                # Unbuffered: a chapters table of several GB streams row by row.
                with conn.cursor(pymysql.cursors.SSCursor) as cur:
                    # The name comes from SHOW TABLES, not from the user.
                    cur.execute(f"SELECT * FROM `{name}`")  # noqa: S608
                    cols = [d[0] for d in cur.description]
                    for record in cur:
                        yield Row(base, dict(zip(cols, record, strict=True)), where)

    def _connect(self) -> Any:
        import pymysql
        import pymysql.converters
        from pymysql.constants import FIELD_TYPE

        # Only numbers are converted; strings, dates and decimals stay the bytes the
        # server holds, like the dump reader's quoted values.
        numbers: dict[Any, Any] = {
            t: int
            for t in (
                FIELD_TYPE.TINY,
                FIELD_TYPE.SHORT,
                FIELD_TYPE.LONG,
                FIELD_TYPE.INT24,
                FIELD_TYPE.LONGLONG,
                FIELD_TYPE.YEAR,
            )
        } | {FIELD_TYPE.FLOAT: float, FIELD_TYPE.DOUBLE: float}
        # PyMySQL takes encoders (Python type keys) and decoders (field type keys) from
        # one dict: keep its encoders, replace its decoders.
        conv = {k: v for k, v in pymysql.converters.conversions.items() if not isinstance(k, int)}
        try:
            conn = pymysql.connect(
                **self._params,
                # PyMySQL cannot name "binary" at the handshake; SET NAMES below.
                charset="latin1",
                use_unicode=False,
                conv=conv | numbers,
                connect_timeout=10,
            )
        except pymysql.MySQLError as e:
            raise SourceError(f"cannot connect to {self.description}: {e}") from e
        with conn.cursor() as cur:
            # No conversion on the way out: latin1 columns holding UTF-8 or cp1252 bytes
            # come back exactly as stored.
            cur.execute("SET NAMES binary")
        return conn
