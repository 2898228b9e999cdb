"""Every table is either in the archive file or left out on purpose, and writable."""

from __future__ import annotations

from django.apps import apps

from fanfold.backup.plan import (
    EXCLUDED,
    NATURAL,
    _dependencies,
    all_models,
    exclusion,
    tables,
    unsupported_fields,
)


def test_every_model_is_exported_or_excluded_with_a_reason():
    exported = {t.label for t in tables()}
    for model in all_models():
        label = model._meta.label_lower
        rule = exclusion(model)
        assert (label in exported) != (rule is not None), label
        if rule is not None:
            assert len(rule[1]) > 20, f"{label}: say why it is left out"


def test_every_exported_column_has_a_codec():
    # A new field type (an array, a range...) must be taught to encode() and restore.
    problems = {t.label: unsupported_fields(t.model) for t in tables()}
    assert {label: names for label, names in problems.items() if names} == {}


def test_exclusions_name_real_models_or_apps():
    installed = {m._meta.label_lower for m in apps.get_models(include_auto_created=True)}
    app_labels = {a.label for a in apps.get_app_configs()}
    # The task queue's backport is installed on Django 5.2 only.
    stale = {k for k in EXCLUDED if k not in installed | app_labels | {"django_tasks"}}
    assert stale == set()
    assert set(NATURAL) <= installed


def test_tables_come_after_the_tables_they_point_to():
    order = [t.model for t in tables()]
    for position, model in enumerate(order):
        later = set(order[position + 1 :])
        # A cycle between two tables may put one first; none exists today.
        assert not (_dependencies(model) & later), model._meta.label_lower


def test_the_archive_holds_what_the_issue_lists():
    labels = {t.label for t in tables()}
    assert {
        "accounts.user",
        "accounts.pseud",
        "works.work",
        "works.chapter",
        "tags.tag",
        "tags.tag_parents",
        "works.series",
        "challenges.challenge",
        "comments.comment",
        "kudos.kudos",
        "bookmarks.bookmark",
        "subscriptions.subscription",
        "history.reading",
        "blocking.block",
        "blocking.mute",
        "filters.savedfilter",
        "archive.sitesettings",
        "pages.page",
        "reports.report",
        "sanctions.sanction",
        "efiction.efictionimport",
        "efiction.legacyid",
        "auth.group",
        "auth.permission",
        "accounts.user_groups",
    } <= labels
