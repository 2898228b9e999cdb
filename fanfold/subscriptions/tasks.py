"""The batch that turns pending notices into e-mails."""

from __future__ import annotations

import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from fanfold.accounts.language import in_language_of
from fanfold.accounts.models import User
from fanfold.archive.background import task
from fanfold.archive.models import SiteSettings
from fanfold.subscriptions.models import Notice, NoticeKind
from fanfold.subscriptions.services import unsubscribe_all_token, unsubscribe_token
from fanfold.works.models import Work

log = logging.getLogger(__name__)


def _claim(user_id: int) -> list[Notice]:
    """Take this user's pending notices. The conditional UPDATE makes the claim atomic,
    so two workers running the batch at once never send the same notice twice."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Notice.objects.filter(user_id=user_id, sent_at__isnull=True).values_list(
                "pk", flat=True
            )
        )
        claimed = Notice.objects.filter(pk__in=ids, sent_at__isnull=True).update(sent_at=now)
        if claimed != len(ids):
            # Someone else got some of them; take only what is stamped with our time.
            ids = list(Notice.objects.filter(pk__in=ids, sent_at=now).values_list("pk", flat=True))
    return list(
        Notice.objects.filter(pk__in=ids)
        .select_related("work", "chapter", "subscription__series", "subscription__creator")
        .order_by("work_id", "chapter__position")
    )


def send_notices_to(user: User) -> int:
    """Send one e-mail with everything pending for `user`; returns the number of notices
    included (0 when none could be shown)."""
    notices = _claim(user.pk)
    if not notices:
        return 0
    # Check visibility at send time: a work hidden, unposted or made members-only since
    # the post, or a lapsed (deactivated) member, gets nothing.
    visible = set(
        Work.objects.visible_to(user if user.is_active else None)
        .filter(pk__in={n.work_id for n in notices})
        .values_list("pk", flat=True)
    )
    shown = [n for n in notices if n.work_id in visible and n.chapter.posted]
    dropped = [n.pk for n in notices if n not in shown]
    if dropped:
        Notice.objects.filter(pk__in=dropped).update(dropped=True)
    if not shown or not user.email or not user.is_active or not user.subscription_emails:
        return 0
    site = SiteSettings.current()
    by_work: dict[int, list[Notice]] = defaultdict(list)
    for notice in shown:
        by_work[notice.work_id].append(notice)
    base = settings.SITE_URL
    all_link = base + reverse("subscriptions:unsubscribe", args=[unsubscribe_all_token(user)])
    context = {
        "user": user,
        "site": site,
        "groups": [
            {
                "work": group[0].work,
                "notices": group,
                "unsubscribe": base
                + reverse(
                    "subscriptions:unsubscribe", args=[unsubscribe_token(group[0].subscription)]
                ),
            }
            for group in by_work.values()
        ],
        "base_url": base,
        "unsubscribe_all": all_link,
    }
    count = len(shown)
    first = shown[0]
    names = {"site": site.site_name, "title": first.work.title, "count": count}
    with in_language_of(user):
        if count > 1:
            subject = ngettext(
                "[%(site)s] %(count)s update from your subscriptions",
                "[%(site)s] %(count)s updates from your subscriptions",
                count,
            )
        elif first.kind == NoticeKind.WORK:
            subject = gettext("[%(site)s] %(title)s: new work")
        else:
            subject = gettext("[%(site)s] %(title)s: new chapter")
        subject %= names
        body = render_to_string("subscriptions/email_notices.txt", context)
    message = EmailMessage(
        subject,
        body,
        None,
        [user.email],
        headers={
            # RFC 8058: mail clients can unsubscribe with one POST, no page visit.
            "List-Unsubscribe": f"<{all_link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send()
    return count


@task()
def send_pending_notices() -> int:
    """Send every subscriber their pending notices, one e-mail each."""
    user_ids = set(
        Notice.objects.filter(sent_at__isnull=True).values_list("user_id", flat=True).distinct()
    )
    sent = 0
    for user in User.objects.filter(pk__in=user_ids):
        try:
            sent += send_notices_to(user)
        except OSError:  # the mail server refused; log and go on with the others
            log.exception("Could not send notices to user %s", user.pk)
    return sent
