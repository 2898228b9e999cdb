"""The one sentence a reporter is told when their report is closed.

It says what happened to the content they reported, but only that "the account
responsible" was acted on, never how: a member's warnings and suspensions are between
them and the staff.
"""

from __future__ import annotations

from collections.abc import Iterable

from fanfold.reports.models import ActionKind, TargetKind

MEMBER_ACTIONS = frozenset({ActionKind.WARN, ActionKind.SUSPEND, ActionKind.BAN})


def outcome_sentence(*, kind: str, actions: Iterable[str]) -> str:
    thing = TargetKind(kind).label.lower()
    done = set(actions)
    parts = []
    if ActionKind.HIDE in done:
        parts.append("hid it")
    if ActionKind.REQUIRE_RATING in done:
        parts.append("asked its creators to correct its rating (it is hidden until they do)")
    if ActionKind.REQUIRE_TAGS in done:
        parts.append("asked its creators to correct its tags (it is hidden until they do)")
    if done & MEMBER_ACTIONS:
        parts.append("took action on the account responsible")
    if not parts:
        return (
            f"We looked at the {thing} you reported and found that it does not break "
            "the archive's rules, so it stays as it is."
        )
    said = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    return f"We looked at the {thing} you reported and {said}."
