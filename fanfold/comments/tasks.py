"""E-mail about new comments, sent by the background worker."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.translation import gettext

from fanfold.accounts.language import in_language_of
from fanfold.archive.background import task
from fanfold.archive.models import SiteSettings
from fanfold.comments.models import Comment, InboxItem


@task()
def send_comment_emails(comment_id: int) -> int:
    """Tell each recipient of this comment's inbox notices by e-mail, if they want it.
    Returns how many e-mails went out."""
    comment = (
        Comment.objects.select_related("work", "news_post", "chapter", "pseud")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None or comment.deleted:
        return 0
    items = InboxItem.objects.filter(
        comment=comment, user__comment_emails=True, user__is_active=True
    ).select_related("user")
    site = SiteSettings.current()
    sent = 0
    for item in items:
        if not item.user.email:
            continue
        context = {
            "comment": comment,
            "item": item,
            "site": site,
            "base_url": settings.SITE_URL,
        }
        names = {"site": site.site_name, "title": comment.target.title}
        with in_language_of(item.user):
            if item.is_reply:
                subject = gettext("[%(site)s] Reply to your comment on %(title)s") % names
            else:
                subject = gettext("[%(site)s] New comment on %(title)s") % names
            body = render_to_string("comments/email_comment.txt", context)
        send_mail(
            subject,
            body,
            None,
            [item.user.email],
        )
        sent += 1
    return sent
