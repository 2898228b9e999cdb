"""The two descriptions of eFiction 3.5's tables agree: the parser's column layouts
(schema.py, for INSERT-only backups) and the benchmark generator's CREATE TABLE text
(bench/efiction_schema.py, which writes dumps as mysqldump would)."""

import importlib.util
import re
from pathlib import Path

from fanfold.efiction.schema import COLUMNS

BENCH_SCHEMA = Path(__file__).resolve().parents[3] / "bench" / "efiction_schema.py"


def test_generated_tables_have_a_layout_the_parser_knows():
    spec = importlib.util.spec_from_file_location("efiction_schema", BENCH_SCHEMA)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    checked = 0
    for table, body in module.TABLES.items():
        columns = tuple(re.findall(r"^\s*`(\w+)`", body, re.M))
        assert columns, table
        assert columns in COLUMNS[table], f"{table}: {columns}"
        checked += 1
    assert checked >= 25


def test_settings_of_an_archive_with_the_challenges_module_are_read():
    from fanfold.efiction.schema import columns_for

    plain = columns_for("settings", len(COLUMNS["settings"][0]))
    with_module = columns_for("settings", len(COLUMNS["settings"][0]) + 1)
    assert plain is not None and with_module is not None
    assert with_module[-1] == "anonchallenges" and with_module[:-1] == plain
