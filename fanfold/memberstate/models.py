"""One version number per member, bumped by every change to what their reading pages
show of them (kudos, bookmarks, subscriptions, reading list, mutes, blocks, comments,
suspensions). It lives in the database so every worker process and every app server
reads the same number; the state itself is cached under it (fanfold.memberstate.selectors).
"""

from django.conf import settings
from django.db import models


class MemberState(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    # A member without a row reads as version 0; the first bump creates the row at 1.
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"state of member {self.user_id} at version {self.version}"
