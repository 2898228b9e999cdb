"""Reading subscriptions, by the same visibility rules as the pages they point to."""

from __future__ import annotations

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When

from fanfold.accounts.models import User
from fanfold.subscriptions.models import Subscription
from fanfold.works.models import Series, Work


def subscriptions_of(user: User) -> QuerySet[Subscription]:
    """A member's subscriptions, newest first, each with `available`: False when its
    work or series no longer exists for them (hidden, unposted, held for approval since:
    `readable_by`, as on their own bookmark list) or its creator left. The page names
    only available targets; the others keep an unsubscribe button and no title."""
    visible = Q(work__in=Work.objects.readable_by(user).values("pk"))
    visible |= Q(series__in=Series.objects.readable_by(user).values("pk"))
    visible |= Q(creator__is_active=True)
    return (
        Subscription.objects.filter(user=user)
        .annotate(
            available=Case(
                When(visible, then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        )
        .select_related("work", "series", "creator")
        .order_by("-created_at", "-pk")
    )
