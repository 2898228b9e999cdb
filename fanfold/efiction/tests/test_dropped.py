"""Nothing an archive held is lost silently: what has a home arrives there (category
descriptions and character bios on their tags), the rest is named in the report."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from fanfold.efiction.models import EfictionImport
from fanfold.efiction.tests.test_importer import run
from fanfold.tags.models import Tag
from fanfold.tags.services import tag_set_description

pytestmark = pytest.mark.django_db


def test_the_report_names_every_kind_of_row_left_behind():
    report = run("full/dump.sql")
    section = report.split("Not imported, no home in Fanfold")[1].split("\n\n")[0]
    lines = [line.strip() for line in section.splitlines()[1:]]
    assert lines == [
        "category images — 1; 1",
        "comments on news posts — 1; 1",
        "custom pages (messages) — 1; lanterncare",
        "news posts — 2; 1, 2",
        "notes on favourite authors (a subscription has no notes) — 1; 3/AU/1",
        "review scores (stars or like/dislike) — 4; 1, 3, 4, 6",
        "submission letters, printer disclaimer and maintenance notice (messages) — 1; thankyou",
        "the admin action log — 3; 1, 2, 3",
        "the help page (messages: help) — 1; help",
    ]
    assert "site machinery has no counterpart here and was not read: " in report
    assert "read: blocks, codeblocks, modules, panels, stats" in report
    kept = EfictionImport.objects.get().report["dropped"]
    assert {"what": "news posts", "rows": 2, "ids": ["1", "2"]} in kept


def test_category_descriptions_and_character_bios_describe_their_tags():
    run("full/dump.sql")
    fantasy = Tag.objects.get(name="Fantasy")
    assert fantasy.description_html == "<p>Worlds with <b>magic</b>.</p>"
    page = BeautifulSoup(Client().get(fantasy.get_absolute_url()).text, "html.parser")
    assert page.select_one(".tag-description").get_text() == "Worlds with magic."
    assert Tag.objects.get(name="Ember").description_html == "<p>A very old dragon.</p>"
    assert Tag.objects.get(name="Tomas").description == ""  # eFiction had no bio for him
    assert Tag.objects.get(name="Space Opera").description == ""


def test_a_rerun_keeps_a_description_written_in_fanfold():
    run("full/dump.sql")
    ember = Tag.objects.get(name="Ember")
    tag_set_description(tag=ember, description="<p>Older than the mountains.</p>")
    run("full/dump.sql")
    ember.refresh_from_db()
    assert ember.description_html == "<p>Older than the mountains.</p>"
