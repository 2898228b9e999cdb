"""eFiction's `settings.language`: the name of a language file in its `languages/`
folder. The release ships `en`; translated packs were dropped in under names their
translators chose, usually a code ("de", "pt_br") and sometimes a word ("german")."""

from __future__ import annotations

# Pack names seen in the wild that are not codes, by what they start with.
_NAMED = {
    "engl": "en",
    "germ": "de",
    "deut": "de",
    "fren": "fr",
    "fran": "fr",
    "span": "es",
    "espa": "es",
    "ital": "it",
    "port": "pt",
    "dutc": "nl",
    "nede": "nl",
    "russ": "ru",
    "poli": "pl",
    "pols": "pl",
    "swed": "sv",
    "finn": "fi",
    "turk": "tr",
    "hebr": "he",
    "arab": "ar",
}


def language_code(value: str) -> str:
    """The language code `value` names ("de" for "de", "de_DE", "German"), or ""."""
    name = value.strip().lower().removesuffix(".php").removesuffix("_admin")
    if not name:
        return ""
    if name[:4] in _NAMED:
        return _NAMED[name[:4]]
    code = name.replace("_", "-").split("-", 1)[0]
    return code if len(code) in (2, 3) and code.isalpha() else ""
