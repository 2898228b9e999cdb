"""Bring an eFiction 3.5 archive into Fanfold (`manage.py import_efiction`).

run.py holds the `Importer` and the order of its steps; each step lives in a module
named for what it imports (site, people, stories, text, search_documents, finish).
"""

from fanfold.efiction.importer.chapters import ChapterJob, prepare_chapters
from fanfold.efiction.importer.convert import efiction_story_html, php_date_format, split_response
from fanfold.efiction.importer.run import Importer, Options

__all__ = [
    "ChapterJob",
    "Importer",
    "Options",
    "efiction_story_html",
    "php_date_format",
    "prepare_chapters",
    "split_response",
]
