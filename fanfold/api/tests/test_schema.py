"""schemathesis walks the whole OpenAPI schema against the live test server: generated
requests, valid and invalid, as a guest and with a member's token. No answer may be a
5xx, and every answer must match the schema (status, content type, body).

The budget is a few examples per operation and mode, derandomised so a run is
repeatable; the fixed-id round makes sure 200 answers are checked, not only 404s.
"""

from __future__ import annotations

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from fanfold.api.services import api_token_create
from fanfold.bookmarks.services import BookmarkFields, bookmark_create
from fanfold.history.services import reading_record
from fanfold.subscriptions.services import subscription_create
from fanfold.tags.models import Tag
from fanfold.works.models import Series

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 6
POSITIVE = schemathesis.GenerationMode.POSITIVE
NEGATIVE = schemathesis.GenerationMode.NEGATIVE


def _run(operation, base_url: str, headers: dict, mode, examples: int, **fixed) -> None:
    strategy = operation.as_strategy(generation_mode=mode, **fixed)

    @given(case=strategy)
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case) -> None:
        case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)

    check()


@pytest.mark.django_db(transaction=True)
def test_every_operation_answers_by_its_schema(live_server, make_user, make_work):
    author = make_user("author")
    reader = make_user("reader")
    work = make_work(author, chapters=2, series_title="Tides", freeforms=["Sea Glass"])
    make_work(author, title="Members Only", restricted=True)
    make_work(author, title="Draft", post=False)
    bookmark_create(user=reader, work=work, data=BookmarkFields(notes="<b>mine</b>"))
    subscription_create(user=reader, work=work)
    reading_record(user=reader, work=work, chapter_position=2)
    token = api_token_create(user=reader, name="schemathesis").secret

    raw = requests.get(f"{live_server.url}/api/v1/openapi.json", timeout=30).json()
    schema = schemathesis.openapi.from_dict(raw)
    known = {
        "work_id": work.pk,
        "chapter_id": work.chapters.first().pk,
        "tag_id": Tag.objects.named("Sea Glass").get().pk,
        "series_id": Series.objects.get().pk,
        "username": "author",
    }
    operations = [result.ok() for result in schema.get_all_operations()]
    covered = set()
    member = {"Authorization": f"Bearer {token}"}
    for operation in operations:
        fixed = {k: v for k, v in known.items() if "{" + k + "}" in operation.path}
        members_only = operation.path.startswith("/api/v1/me/")
        # Invalid requests once (a guest's, or the member's where a token is needed);
        # valid ones as a guest and as the member.
        first = member if members_only else {}
        _run(operation, live_server.url, first, NEGATIVE, EXAMPLES)
        for headers in [member] if members_only else [{}, member]:
            _run(operation, live_server.url, headers, POSITIVE, EXAMPLES)
            if fixed:
                _run(operation, live_server.url, headers, POSITIVE, 3, path_parameters=fixed)
        covered.add((operation.method.upper(), operation.path))
    paths = {(m.upper(), p) for p, methods in raw["paths"].items() for m in methods}
    assert covered == paths and len(paths) >= 12
