"""Author text to safe HTML: sanitising (nh3), input formats, word counts."""

from fanfold.markup.budget import MarkupTooComplex
from fanfold.markup.formats import TextFormat, plain_text, render_text
from fanfold.markup.sanitize import Profile, sanitize_html
from fanfold.markup.wordcount import count_words

__all__ = [
    "MarkupTooComplex",
    "Profile",
    "TextFormat",
    "count_words",
    "plain_text",
    "render_text",
    "sanitize_html",
]
