"""The archive's language comes over from eFiction's settings: it becomes the site's
default interface language when Fanfold ships it, and the report says so when not."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from fanfold.archive.models import SiteSettings
from fanfold.efiction.languages import language_code

pytestmark = pytest.mark.django_db

BACKUP = Path(__file__).parent / "fixtures" / "backup" / "dump.sql"
SHIPPED_SETTING = b'"default","","en","0","stories"'


def _import_with_language(tmp_path: Path, language: str) -> str:
    dump = BACKUP.read_bytes()
    assert SHIPPED_SETTING in dump
    path = tmp_path / "dump.sql"
    path.write_bytes(
        dump.replace(SHIPPED_SETTING, b'"default","","%s","0","stories"' % language.encode())
    )
    out = io.StringIO()
    call_command("import_efiction", str(path), jobs=1, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_a_german_archive_reads_in_german(tmp_path):
    out = _import_with_language(tmp_path, "german")
    assert SiteSettings.objects.get().default_language == "de"
    assert "default interface language is now 'de'" in out


def test_a_language_we_do_not_ship_is_reported(tmp_path):
    out = _import_with_language(tmp_path, "ru")
    assert SiteSettings.objects.get().default_language == "en"
    assert "'ru' is not one Fanfold ships" in out


@pytest.mark.parametrize(
    ("value", "code"),
    [("en", "en"), ("de_DE", "de"), ("Francais", "fr"), ("pt_br.php", "pt"), ("", ""), ("x1", "")],
)
def test_pack_names_become_codes(value, code):
    assert language_code(value) == code
