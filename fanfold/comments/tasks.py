"""E-mail about new comments, sent by the background worker."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

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
        subject = (
            f"[{site.site_name}] Reply to your comment on {comment.target.title}"
            if item.is_reply
            else f"[{site.site_name}] New comment on {comment.target.title}"
        )
        send_mail(
            subject,
            render_to_string("comments/email_comment.txt", context),
            None,
            [item.user.email],
        )
        sent += 1
    return sent
