"""Invitations: sign-up by invitation, when the site settings ask for it.

Visitors ask with their address (InvitationRequest); staff approve requests in batches, or
the site answers a number a day by itself; members may be given invitations to pass on.
Each invitation is a single-use token in a sign-up link.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_urlsafe(24)


class InvitationSource(models.TextChoices):
    STAFF = "staff", _("Approved by staff")
    AUTOMATIC = "automatic", _("Sent automatically")
    MEMBER = "member", _("Given to a member")


class Invitation(models.Model):
    token = models.CharField(max_length=64, unique=True, default=new_token)
    source = models.CharField(max_length=10, choices=InvitationSource.choices)
    # Where it was sent; empty while a member still holds it to give.
    email = models.EmailField(blank=True)
    # The member who holds it to give (and who gave it, once sent).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations_to_give",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitation_used",
    )

    def __str__(self) -> str:
        return f"invitation {self.pk} ({self.email or 'not sent'})"

    @property
    def signup_path(self) -> str:
        return f"{reverse('accounts:signup')}?invitation={self.token}"


class InvitationRequest(models.Model):
    """A visitor waiting for an invitation. Answered once `invitation` is set."""

    email = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True)
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="request"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="invitations_request_email_unique")
        ]

    def __str__(self) -> str:
        return self.email
