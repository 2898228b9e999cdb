"""Writes for challenges. The site's forms, the admin and the eFiction importer all come
through here, so the summary is sanitised and tags follow the archive's rules alike."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from fanfold.accounts.models import User
from fanfold.challenges.models import Challenge
from fanfold.markup import render_text
from fanfold.staff.permissions import has_perm
from fanfold.tags.models import Tag, TagType
from fanfold.tags.services import tags_find_or_create

TITLE_MAX = 255
SUMMARY_MAX = 5000


@dataclass
class ChallengeFields:
    title: str
    summary: str = ""
    fandoms: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    # Who set it, when that is not an account here (eFiction's free-text challenger).
    challenger_name: str = ""


def _tags(errors: dict, name: str, names: list[str], tag_type: str) -> list[Tag]:
    try:
        return tags_find_or_create(names=names, tag_type=tag_type)
    except ValidationError as error:
        errors[name] = error.messages
        return []


def _apply(challenge: Challenge, data: ChallengeFields) -> None:
    """Validate `data`, then save it onto `challenge` with its tags."""
    errors: dict[str, list[str]] = {}
    if not data.title.strip():
        errors["title"] = ["Every challenge needs a title."]
    elif len(data.title) > TITLE_MAX:
        errors["title"] = [f"The title can be at most {TITLE_MAX} characters."]
    if len(data.summary) > SUMMARY_MAX:
        errors["summary"] = [f"The summary can be at most {SUMMARY_MAX:,} characters."]
    fandoms = _tags(errors, "fandoms", data.fandoms, TagType.FANDOM)
    characters = _tags(errors, "characters", data.characters, TagType.CHARACTER)
    if errors:
        raise ValidationError(errors)
    challenge.title = data.title.strip()
    challenge.summary_html = render_text(data.summary, "html", field="summary")
    challenge.summary = data.summary
    challenge.challenger_name = data.challenger_name.strip()
    challenge.save()
    challenge.fandoms.set(fandoms)
    challenge.characters.set(characters)


@transaction.atomic
def challenge_create(*, owner: User | None, data: ChallengeFields) -> Challenge:
    """A new challenge set by `owner` (None for an imported one with only a name)."""
    challenge = Challenge(owner=owner)
    _apply(challenge, data)
    return challenge


def user_can_edit_challenge(user: User | None, challenge: Challenge) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return challenge.owner_id == user.pk or has_perm(user, "hide_content")


@transaction.atomic
def challenge_update(*, challenge: Challenge, editor: User, data: ChallengeFields) -> Challenge:
    if not user_can_edit_challenge(editor, challenge):
        raise PermissionDenied(_("Only the challenge's owner or staff can change it."))
    _apply(challenge, data)
    return challenge
