"""Rules and terms written in the old site settings fields move into the pages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from fanfold.pages.models import RULES, Page

BEFORE = [("pages", "0001_initial"), ("archive", "0004_sitesettings_works_need_approval")]


@pytest.mark.django_db(transaction=True)
def test_settings_text_is_kept_and_empty_settings_get_our_default():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    old.get_model("pages", "Page").objects.all().delete()
    old.get_model("archive", "SiteSettings").objects.update_or_create(
        pk=1, defaults={"rules": "<p>No trolls, please.</p>", "terms": "   "}
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    rules, terms = Page.objects.get(slug="rules"), Page.objects.get(slug="terms")
    assert (rules.body, rules.text_format) == ("<p>No trolls, please.</p>", "html")
    assert rules.body_html == "<p>No trolls, please.</p>"
    assert terms.text_format == "markdown" and "Your content stays yours" in terms.body_html
    assert RULES in {p.slug for p in Page.objects.in_footer()}
