"""Background work through Django's tasks framework.

Django 6.0+ ships `django.tasks`; on Django 5.2 the `django_tasks` backport has the same
API. Everything in Fanfold imports `task` and `enqueue_on_commit` from here.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

try:
    from django.tasks import task
except ImportError:  # Django 5.2
    from django_tasks import task  # type: ignore[no-redef]

__all__ = ["enqueue_on_commit", "task"]


def enqueue_on_commit(task_obj: Any, *args: Any, **kwargs: Any) -> None:
    """Queue a task once the current transaction commits: a rolled-back write must not
    send e-mail, and the worker must find the rows it is told about."""
    transaction.on_commit(lambda: task_obj.enqueue(*args, **kwargs))
