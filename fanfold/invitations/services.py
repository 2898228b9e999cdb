"""Writes for invitations: asking for one, staff approving requests in batches, the
daily automatic answer, members' invitations to give, and using one to sign up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from fanfold.accounts.models import User
from fanfold.archive.background import enqueue_on_commit
from fanfold.archive.models import SignupMode, SiteSettings
from fanfold.audit.services import audit_record
from fanfold.invitations.models import Invitation, InvitationRequest, InvitationSource
from fanfold.staff.permissions import require_perm

AUTOMATIC_WINDOW = timedelta(days=1)
MEMBER_GIFT_MAX = 50
# Marked with gettext_noop so it stays a plain str others can compare; translated where shown.
NOT_TAKING_REQUESTS = gettext_noop("This archive is not taking invitation requests just now.")


def _send_mail_later(invitations: list[Invitation]) -> None:
    # The tasks module imports this one (it schedules the next automatic round).
    from fanfold.invitations.tasks import send_invitation_emails

    if invitations:
        enqueue_on_commit(send_invitation_emails, [i.pk for i in invitations])


def _schedule_automatic() -> None:
    from fanfold.invitations.tasks import send_due_invitations

    enqueue_on_commit(send_due_invitations)


def _answer(requests: list[InvitationRequest], *, source: str, actor: User | None) -> list:
    now = timezone.now()
    made = []
    for waiting in requests:
        invitation = Invitation.objects.create(
            source=source, email=waiting.email, created_by=actor, sent_at=now
        )
        waiting.invitation = invitation
        waiting.save(update_fields=["invitation"])
        made.append(invitation)
    _send_mail_later(made)
    return made


@transaction.atomic
def invitation_request_create(*, email: str) -> InvitationRequest:
    """Put a visitor's address in the queue (once: asking again changes nothing)."""
    site = SiteSettings.current()
    if site.signup_mode != SignupMode.INVITE or site.guests_paused or site.read_only:
        raise PermissionDenied(_(NOT_TAKING_REQUESTS))
    email = User.objects.normalize_email(email.strip())
    existing = InvitationRequest.objects.filter(email__iexact=email).first()
    if existing is not None:
        return existing
    request = InvitationRequest(email=email)
    request.full_clean()
    request.save()
    if site.invitations_per_day:
        _schedule_automatic()
    return request


def waiting_requests():
    return InvitationRequest.objects.filter(invitation__isnull=True)


@transaction.atomic
def invitations_approve(
    *, actor: User, request_ids: list[int] | None = None, oldest: int = 0
) -> int:
    """Staff answer waiting requests: the ones picked, or the `oldest` n. Returns how
    many invitations went out."""
    require_perm(actor, "manage_invitations")
    queue = waiting_requests().select_for_update()
    if request_ids is not None:
        chosen = list(queue.filter(pk__in=request_ids))
    else:
        chosen = list(queue[: max(oldest, 0)])
    made = _answer(chosen, source=InvitationSource.STAFF, actor=actor)
    if made:
        audit_record(
            action="invitation.approve",
            actor=actor,
            perm="manage_invitations",
            target_type="invitationrequest",
            label_code="invitation_requests",
            message_values={"count": len(made)},
            changes={"emails": [None, [i.email for i in made]]},
        )
    return len(made)


@dataclass(frozen=True)
class AutomaticRound:
    sent: int
    # When the next round could send something (None: nothing is waiting).
    next_at: datetime | None


@transaction.atomic
def invitations_send_due(*, now: datetime | None = None) -> AutomaticRound:
    """The site's own answer to the queue: at most `invitations_per_day` in any 24 hours,
    oldest requests first. Safe to run as often as anyone likes."""
    now = now or timezone.now()
    # Lock the settings row: two workers running this at once must not both see room.
    site = SiteSettings.objects.select_for_update().get(pk=1)
    per_day = site.invitations_per_day
    if site.signup_mode != SignupMode.INVITE or not per_day:
        return AutomaticRound(0, None)
    recent = Invitation.objects.filter(
        source=InvitationSource.AUTOMATIC, sent_at__gt=now - AUTOMATIC_WINDOW
    )
    room = max(per_day - recent.count(), 0)
    made = _answer(list(waiting_requests()[:room]), source=InvitationSource.AUTOMATIC, actor=None)
    if not waiting_requests().exists():
        return AutomaticRound(len(made), None)
    oldest_in_window = recent.order_by("sent_at").values_list("sent_at", flat=True).first()
    next_at = (oldest_in_window or now) + AUTOMATIC_WINDOW
    return AutomaticRound(len(made), max(next_at, now))


@transaction.atomic
def invitations_give(*, actor: User, member: User, count: int) -> int:
    """Give `member` `count` invitations to pass on from their preferences."""
    require_perm(actor, "manage_invitations")
    if not 1 <= count <= MEMBER_GIFT_MAX:
        raise ValidationError(
            _("Give between 1 and {most} invitations at a time.").format(most=MEMBER_GIFT_MAX)
        )
    before = member.invitations_to_give.filter(sent_at__isnull=True).count()
    Invitation.objects.bulk_create(
        [
            Invitation(source=InvitationSource.MEMBER, owner=member, created_by=actor)
            for _ in range(count)
        ]
    )
    audit_record(
        action="invitation.give",
        actor=actor,
        perm="manage_invitations",
        target=member,
        member=member,
        changes={"invitations_to_give": [before, before + count]},
    )
    return count


@transaction.atomic
def invitation_send_by_member(*, member: User, email: str) -> Invitation:
    """A member passes one of their invitations on to `email`."""
    invitation = member.invitations_to_give.select_for_update().filter(sent_at__isnull=True).first()
    if invitation is None:
        raise ValidationError(_("You have no invitations left to give."))
    invitation.email = User.objects.normalize_email(email.strip())
    invitation.sent_at = timezone.now()
    invitation.full_clean(exclude=["owner", "created_by", "used_by"])
    invitation.save(update_fields=["email", "sent_at"])
    _send_mail_later([invitation])
    return invitation


def invitation_problem(token: str) -> str | None:
    """Why `token` cannot be used to sign up, or None."""
    invitation = Invitation.objects.filter(token=token, sent_at__isnull=False).first()
    if invitation is None:
        return str(_("That invitation is not valid. Check the link in your e-mail."))
    if invitation.used_at is not None:
        return str(_("That invitation has already been used."))
    return None


@transaction.atomic
def invitation_redeem(*, token: str, user: User) -> Invitation:
    """Use up the invitation for `user`'s new account, in the same transaction that
    creates it: two sign-ups racing for one token cannot both succeed."""
    problem = invitation_problem(token)
    invitation = (
        Invitation.objects.select_for_update()
        .filter(token=token, sent_at__isnull=False, used_at__isnull=True)
        .first()
    )
    if problem or invitation is None:
        raise ValidationError(problem or _("That invitation has already been used."))
    invitation.used_at = timezone.now()
    invitation.used_by = user
    invitation.save(update_fields=["used_at", "used_by"])
    # The link went to this very address: following it proved they read its mail.
    if invitation.email and invitation.email.lower() == user.email.lower():
        user.email_verified = True
        user.save(update_fields=["email_verified"])
    return invitation
