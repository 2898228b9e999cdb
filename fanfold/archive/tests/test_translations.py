"""The shipped translations are whole and current.

Every .po under an app's locale/ has every message translated and none fuzzy; its .mo
says the same as the .po (a forgotten compilemessages would ship the old text); and a
fresh makemessages finds exactly the messages the .po holds (a string marked since, or
dropped since, fails here until `make messages` is run and translated).
"""

from __future__ import annotations

import ast
import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
PO_FILES = sorted(ROOT.glob("*/locale/*/LC_MESSAGES/django.po"))
APPS = sorted({po.relative_to(ROOT).parts[0] for po in PO_FILES})

needs_gettext = pytest.mark.skipif(
    shutil.which("msgfmt") is None or shutil.which("xgettext") is None,
    reason="GNU gettext is not installed (make i18n-tools)",
)


def read_po(path: Path) -> dict[tuple[str, str, str], dict]:
    """{(context, msgid, plural): {"strs": [...], "fuzzy": bool}}, obsolete entries left out."""
    entries: dict[tuple[str, str, str], dict] = {}
    current: dict = {}
    field = ""

    def finish() -> None:
        if "msgid" in current:
            key = (current.get("msgctxt", ""), current["msgid"], current.get("msgid_plural", ""))
            strs = [v for k, v in sorted(current.items()) if k.startswith("msgstr")]
            entries[key] = {"strs": strs, "fuzzy": current.get("fuzzy", False)}

    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            finish()
            current, field = {}, ""
        elif line.startswith("#~"):
            continue
        elif line.startswith("#,"):
            current["fuzzy"] = "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[field] += ast.literal_eval(line)
        else:
            keyword, _, value = line.partition(" ")
            field = keyword.replace("[", "_").replace("]", "")
            current[field] = ast.literal_eval(value)
    return entries


def _messages(entries: dict) -> set[tuple[str, str, str]]:
    return {key for key in entries if key[1]}


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_is_translated_and_none_is_fuzzy(po: Path):
    entries = read_po(po)
    assert entries, "an empty catalogue"
    empty = [key[1] for key, e in entries.items() if key[1] and not all(e["strs"])]
    fuzzy = [key[1] for key, e in entries.items() if key[1] and e["fuzzy"]]
    assert empty == [] and fuzzy == []


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_mo_says_what_the_po_says(po: Path, tmp_path: Path):
    mo = po.with_suffix(".mo")
    assert mo.exists(), "run make messages"
    with mo.open("rb") as shipped:
        catalogue = gettext.GNUTranslations(shipped)._catalog  # type: ignore[attr-defined]
    for (context, msgid, plural), entry in read_po(po).items():
        if not msgid:
            continue
        key = f"{context}\x04{msgid}" if context else msgid
        if plural:
            for index, text in enumerate(entry["strs"]):
                assert catalogue.get((key, index)) == text, msgid
        else:
            assert catalogue.get(key) == entry["strs"][0], msgid


@needs_gettext
@pytest.mark.parametrize("app", APPS)
def test_each_po_holds_what_makemessages_finds(app: str, tmp_path: Path, monkeypatch, settings):
    # makemessages writes to the first of LOCALE_PATHS that holds no file it reads (the
    # real accounts catalogue, for a copy): here only the copy's own locale/ counts.
    settings.LOCALE_PATHS = []
    copy = tmp_path / app
    shutil.copytree(ROOT / app, copy, ignore=shutil.ignore_patterns("tests", "__pycache__"))
    monkeypatch.chdir(copy)
    languages = sorted(p.name for p in (copy / "locale").iterdir() if p.is_dir())
    call_command("makemessages", locale=languages, no_location=True, no_obsolete=True, verbosity=0)
    for language in languages:
        relative = Path("locale", language, "LC_MESSAGES", "django.po")
        fresh, shipped = read_po(copy / relative), read_po(ROOT / app / relative)
        assert _messages(fresh) == _messages(shipped), f"{app} {language}: run make messages"


@needs_gettext
def test_msgfmt_accepts_every_catalogue():
    for po in PO_FILES:
        msgfmt = shutil.which("msgfmt") or "msgfmt"
        subprocess.run([msgfmt, "--check", "-o", "/dev/null", str(po)], check=True)


def test_one_wording_per_message_across_apps():
    """Django merges every app's catalogue into one per language, so a message two apps
    translate differently shows only one app's wording in both places (the first app in
    LOCALE_PATHS wins). Words used in two senses need a context (`pgettext`, `context`)."""
    wordings: dict[tuple, dict[str, list[str]]] = {}
    for po in PO_FILES:
        app, language = po.relative_to(ROOT).parts[0], po.parts[-3]
        for key, entry in read_po(po).items():
            if key[1]:
                wordings.setdefault((language, *key), {})[app] = entry["strs"]
    # Catalogues may count plural forms differently (Spanish and French have a third
    # form for millions in newer CLDR data): the singular and the general plural, the
    # first and the last form, must agree.
    clashes = {
        key: apps
        for key, apps in wordings.items()
        if len({(s[0], s[-1]) for s in apps.values()}) > 1
    }
    assert not clashes
