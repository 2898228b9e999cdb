"""Damaged, foreign or incompatible files: a clear error, and the database unchanged."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from fanfold.accounts.models import User
from fanfold.works.models import Work

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def archive(tmp_path, make_user, make_work) -> Path:
    make_work(title="Kept safe")
    path = tmp_path / "archive.jsonl.gz"
    call_command("export_archive", str(path), stdout=io.StringIO())
    return path


def restore(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("restore_archive", str(path), *args, stdout=out)
    return out.getvalue()


def lines(path: Path) -> list[bytes]:
    with gzip.open(path, "rb") as stream:
        return stream.readlines()


def rewrite(path: Path, new: list[bytes]) -> Path:
    with gzip.open(path, "wb") as stream:
        stream.writelines(new)
    return path


def unchanged() -> bool:
    return list(Work.objects.values_list("title", flat=True)) == ["Kept safe"]


def test_refuses_a_database_with_content_unless_told(archive):
    with pytest.raises(CommandError, match=r"not empty.*--replace"):
        restore(archive)
    Work.objects.update(title="Changed since")
    assert "Committed" in restore(archive, "--replace")
    assert unchanged()


def test_replace_removes_what_the_archive_does_not_hold(archive, make_user):
    make_user(username="came-later")
    restore(archive, "--force")
    assert not User.objects.filter(username="came-later").exists()


def test_a_cut_off_file_restores_nothing(archive, tmp_path):
    data = archive.read_bytes()
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(CommandError, match=r"cut off or damaged.*Nothing was restored"):
        restore(cut, "--replace")
    assert unchanged()


def test_a_file_cut_between_lines_restores_nothing(archive):
    rewrite(archive, lines(archive)[:-30])
    with pytest.raises(CommandError, match="incomplete"):
        restore(archive, "--replace")
    assert unchanged()


def test_a_damaged_line_is_named(archive):
    content = lines(archive)
    content[40] = b'[1, "no closing bracket"\n'
    rewrite(archive, content)
    with pytest.raises(CommandError, match=r"line 41 is not valid JSON"):
        restore(archive, "--replace")
    assert unchanged()


def test_rows_that_do_not_hold_together_restore_nothing(archive):
    # A creatorship naming a work the file does not hold fails at commit, as a whole.
    content = lines(archive)
    head = next(i for i, raw in enumerate(content) if b'"table":"works.creatorship"' in raw)
    columns = json.loads(content[head])["columns"]
    row = json.loads(content[head + 1])
    row[columns.index("work_id")] = 999_999
    content[head + 1] = json.dumps(row).encode() + b"\n"
    rewrite(archive, content)
    with pytest.raises(CommandError, match=r"refused its rows.*(?i:foreign key)"):
        restore(archive, "--replace")
    assert unchanged()


@pytest.mark.parametrize(
    ("version", "advice"), [(2, "Upgrade Fanfold"), (0, "with the Fanfold version that wrote")]
)
def test_other_format_versions_are_refused_with_advice(archive, version, advice):
    content = lines(archive)
    header = json.loads(content[0]) | {"version": version}
    rewrite(archive, [json.dumps(header).encode() + b"\n", *content[1:]])
    with pytest.raises(CommandError, match=rf"archive format {version}.*{advice}"):
        restore(archive, "--replace")
    assert unchanged()


def test_migrations_this_database_lacks_are_named(archive):
    content = lines(archive)
    header = json.loads(content[0])
    header["migrations"]["works"].append("9999_from_the_future")
    rewrite(archive, [json.dumps(header).encode() + b"\n", *content[1:]])
    with pytest.raises(CommandError, match=r"works.9999_from_the_future.*migrate"):
        restore(archive, "--replace")


def test_files_that_are_no_archive(tmp_path):
    plain = tmp_path / "notes.txt"
    plain.write_text("hello\n")
    with pytest.raises(CommandError, match="not a Fanfold archive file"):
        restore(plain)
    other = rewrite(tmp_path / "other.gz", [b'{"some": "json"}\n'])
    with pytest.raises(CommandError, match="not a Fanfold archive file"):
        restore(other)
    with pytest.raises(CommandError, match="no such file"):
        restore(tmp_path / "missing.gz")
