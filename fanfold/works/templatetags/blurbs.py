"""The four square symbols of a blurb: rating, warnings, category, completion."""

from dataclasses import dataclass

from django import template

from fanfold.tags.models import TagType
from fanfold.works.models import Work

register = template.Library()

RATING_CLASSES = {"G": "general", "T": "teen", "M": "mature", "E": "explicit"}
# Warnings that do not mean "this work has a warning".
NO_WARNING_KEYS = {"no archive warnings apply"}
CHOSE_NOT_KEYS = {"choose not to use archive warnings", "creator chose not to use archive warnings"}


@dataclass(frozen=True)
class Symbol:
    css: str
    text: str
    title: str


@register.simple_tag
def required_symbols(work: Work) -> list[Symbol]:
    groups = work.tags_by_type
    rating = work.rating
    rating_css = RATING_CLASSES.get(rating.symbol if rating else "", "notrated")
    warnings = groups[TagType.WARNING]
    keys = {w.key for w in warnings}
    if keys and keys <= NO_WARNING_KEYS:
        warning_css, warning_text = "warning-no", "No"
    elif keys & CHOSE_NOT_KEYS and len(keys) == 1:
        warning_css, warning_text = "warning-choosenot", "?"
    else:
        warning_css, warning_text = "warning-yes", "!"
    categories = groups[TagType.CATEGORY]
    if len(categories) == 1:
        category_text = categories[0].symbol or categories[0].name[:3]
    else:
        category_text = "Mx" if categories else "–"
    return [
        Symbol(
            f"rating rating-{rating_css}",
            rating.symbol if rating else "?",
            rating.name if rating else "Not Rated",
        ),
        Symbol(
            f"warnings {warning_css}",
            warning_text,
            ", ".join(w.name for w in warnings) or "No warnings given",
        ),
        Symbol("category", category_text, ", ".join(c.name for c in categories) or "No category"),
        Symbol(
            f"iswip complete-{'yes' if work.complete else 'no'}",
            "✓" if work.complete else "…",
            "Complete Work" if work.complete else "Work in Progress",
        ),
    ]
