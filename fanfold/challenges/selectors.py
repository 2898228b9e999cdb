"""Reads for challenges. Response counts and lists go through the works' one visibility
rule, so a challenge never shows how many hidden or draft works answered it."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from fanfold.accounts.models import User
from fanfold.challenges.models import Challenge
from fanfold.works.models import Work


def visible_responses(*, viewer: User | None):
    """Works visible to `viewer` that answer a challenge, less the ones they muted."""
    from fanfold.blocking.selectors import muted_user_ids

    works = Work.objects.visible_to(viewer).filter(challenge__isnull=False)
    muted = muted_user_ids(viewer)
    if muted:
        works = works.exclude(creatorships__pseud__user_id__in=muted)
    return works


def challenge_list(*, viewer: User | None, page: str | int | None) -> Page:
    """A page of challenges, newest first, each with `response_count`: the responses
    `viewer` may see (one query for the page, one for the count)."""
    counts = (
        visible_responses(viewer=viewer)
        .filter(challenge=OuterRef("pk"))
        .order_by()
        .values("challenge")
        .annotate(n=Count("pk", distinct=True))
        .values("n")
    )
    challenges = (
        Challenge.objects.select_related("owner")
        .annotate(response_count=Coalesce(Subquery(counts, output_field=IntegerField()), Value(0)))
        .order_by("-created_at", "-pk")
    )
    return Paginator(challenges, settings.WORKS_PER_PAGE).get_page(page)


def challenge_response_ids(*, challenge: Challenge) -> list[int]:
    """The works answering `challenge`; the listing applies the viewer's rules."""
    return list(Work.objects.filter(challenge=challenge).values_list("pk", flat=True))
