"""Addresses members are seen at: at sign-up, at each login and when they write.

Bounded on purpose: one row per (member, address) whose `last_seen` moves at most once
an hour (a cache key spares the database the check in between), and rows not seen for
MEMBER_ADDRESS_DAYS are deleted by `purge_member_addresses`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from fanfold.audit.context import client_ip
from fanfold.sanctions.models import MemberAddress

REFRESH = datetime.timedelta(hours=1)


def address_record(*, member: Any, ip: str | None, at_signup: bool = False, now=None) -> None:
    """Note that `member` was seen at `ip` (ignored when the address is unknown). Most
    calls end at the cache check, without touching the database."""
    if not ip or member is None or not member.pk:
        return
    key = f"member-address:{member.pk}:{ip}"
    if not at_signup and cache.get(key):
        return
    _address_upsert(member=member, ip=ip, at_signup=at_signup, now=now or timezone.now())
    cache.set(key, True, int(REFRESH.total_seconds()))


@transaction.atomic
def _address_upsert(*, member: Any, ip: str, at_signup: bool, now) -> None:
    updated = MemberAddress.objects.filter(
        member=member, ip=ip, last_seen__lt=now - REFRESH
    ).update(last_seen=now)
    if not updated and not MemberAddress.objects.filter(member=member, ip=ip).exists():
        try:
            with transaction.atomic():
                MemberAddress.objects.create(
                    member=member, ip=ip, at_signup=at_signup, first_seen=now, last_seen=now
                )
        except IntegrityError:
            pass  # the same member's other request got there first


def address_seen_on_login(sender, request, user, **kwargs) -> None:
    """`user_logged_in` receiver: logins are recorded however they happen."""
    if request is not None:
        address_record(member=user, ip=client_ip(request))


def addresses_purge(*, now=None) -> int:
    """Delete addresses not seen for MEMBER_ADDRESS_DAYS; returns how many went."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.MEMBER_ADDRESS_DAYS)
    return MemberAddress.objects.filter(last_seen__lt=cutoff).delete()[0]


class WriteAddressMiddleware:
    """Records the address of every unsafe request a member makes (a post, a comment,
    kudos), after the view ran; reads are not recorded."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.method == "POST" and user is not None and user.is_authenticated:
            address_record(member=user, ip=client_ip(request))
        return response
