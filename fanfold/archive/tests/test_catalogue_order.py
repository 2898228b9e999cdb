"""Our catalogues win over Django's own where both translate the same English.

Django's contrib apps (admin, auth) come first in INSTALLED_APPS, and without
LOCALE_PATHS their catalogues would win: a French reader saw "Connexion" where ours
says "Se connecter", a German one "Filter" where ours says "Filtern".
"""

from __future__ import annotations

import gettext
from pathlib import Path

import django
import pytest
from django.test import Client
from django.utils import translation

from fanfold.archive.tests.test_translations import PO_FILES, read_po

pytestmark = pytest.mark.django_db

DJANGO = Path(django.__file__).resolve().parent
LANGUAGES = ["de", "es", "fr"]


def _djangos(language: str) -> dict[str, str]:
    """Every message Django's own catalogues (core and contrib) translate."""
    found: dict[str, str] = {}
    for mo in sorted(DJANGO.glob(f"**/locale/{language}/LC_MESSAGES/django.mo")):
        with mo.open("rb") as handle:
            catalogue = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
        found.update({k: v for k, v in catalogue.items() if isinstance(k, str) and k})
    return found


def _ours(language: str) -> dict[str, set[str]]:
    ours: dict[str, set[str]] = {}
    for po in PO_FILES:
        if po.parts[-3] != language:
            continue
        for (context, msgid, plural), entry in read_po(po).items():
            if msgid and not context and not plural:
                ours.setdefault(msgid, set()).add(entry["strs"][0])
    return ours


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_django_also_translates_reads_our_way(language):
    djangos, ours = _djangos(language), _ours(language)
    # Where our apps agree on a word and Django says it otherwise, ours must be shown.
    contested = {
        msgid: words.pop()
        for msgid, words in ours.items()
        if len(words) == 1 and msgid in djangos and djangos[msgid] not in words
    }
    assert contested, "no shared message: the check would prove nothing"
    with translation.override(language):
        shown = {msgid: translation.gettext(msgid) for msgid in contested}
    assert shown == contested


@pytest.mark.parametrize(
    ("language", "ours", "djangos"),
    [("fr", "Se connecter", "Connexion"), ("de", "Anmelden", None), ("es", "Iniciar sesión", None)],
)
def test_the_log_in_link_uses_our_words(language, ours, djangos):
    guest = Client()
    guest.cookies["fanfold_language"] = language
    page = guest.get("/").content.decode()
    assert f">{ours}</a>" in page
    if djangos:
        assert f">{djangos}</a>" not in page


@pytest.mark.parametrize(
    ("language", "word"), [("de", "Filtern"), ("es", "Filtrar"), ("fr", "Filtrer")]
)
def test_the_staff_filter_button_uses_our_words(language, word, make_user):
    staff = make_user("staffer", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff)
    client.cookies["fanfold_language"] = language
    page = client.get("/staff/audit").content.decode()
    assert f'<button type="submit">{word}</button>' in page
