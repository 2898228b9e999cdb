"""Authors (accounts, pen names, roles, old passwords) and what members kept: favourites."""

from __future__ import annotations

import html as html_lib
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from fanfold.accounts.models import Pseud, User
from fanfold.bookmarks.models import Bookmark
from fanfold.efiction.hashers import encoded_from_legacy
from fanfold.efiction.importer.base import ImporterBase
from fanfold.efiction.importer.convert import (
    as_date,
    as_int,
)
from fanfold.efiction.importer.writes import (
    USERNAME_MAX,
    upsert,
    user_fields,
)
from fanfold.efiction.models import Kind
from fanfold.markup import sanitize_html
from fanfold.markup.formats import render_text
from fanfold.markup.sanitize import Profile
from fanfold.subscriptions.models import Subscription
from fanfold.works.models import (
    Series,
)


class PeopleMixin(ImporterBase):
    """Part of `Importer` (run.py): authors: accounts, pen names, roles, old passwords."""

    # -- authors ---------------------------------------------------------------------------
    def _import_authors(self) -> None:
        prefs = {as_int(r.values.get("uid")): r for r in self.tables["authorprefs"]}
        profile_fields = self._profile_fields()
        imported_pks = {
            self.pk(Kind.AUTHOR, as_int(r.values.get("uid"))) for r in self.tables["authors"]
        }
        # Accounts that were not made by this import keep their names; an eFiction pen
        # name that collides with one gets a suffix (and the report says so).
        taken = {
            name.casefold(): pk
            for pk, name in User.objects.exclude(pk__in=imported_pks).values_list("pk", "username")
        }
        users, pseuds = [], []
        for row in self.tables["authors"]:
            built = self._guarded(
                "authors", row, "uid", self._author, row, prefs, profile_fields, taken
            )
            if built is not None:
                users.append(built[0])
                pseuds.append(built[1])
        # Accounts made in Fanfold since the last run keep their ids (see _claim).
        claimed = {u.pk for u in self._claim(Kind.AUTHOR, users)}
        claimed_pseuds = {p.pk for p in self._claim(Kind.PSEUD, pseuds)}
        pairs = [
            (u, p)
            for u, p in zip(users, pseuds, strict=True)
            if u.pk in claimed and p.pk in claimed_pseuds
        ]
        users, pseuds = [u for u, _p in pairs], [p for _u, p in pairs]
        for user in users:
            self.user_pk[self.state.legacy_for(Kind.AUTHOR, user.pk)] = user.pk
        self._keep_changed_passwords(users)
        batch = self.options.batch_size
        for start in range(0, len(users), batch):
            with transaction.atomic():
                upsert(User, users[start : start + batch], user_fields())
                upsert(Pseud, pseuds[start : start + batch], ["user_id", "name"])
                self._written(Kind.AUTHOR, users[start : start + batch])
                self._written(Kind.PSEUD, pseuds[start : start + batch])
            self.progress("authors", min(start + batch, len(users)), len(users))
        self.report.imported["users"] += len(users)

    def _author(self, row, prefs, profile_fields, taken) -> tuple[User, Pseud] | None:
        """One eFiction author as a Fanfold account and its default pen name."""
        uid = as_int(row.values.get("uid"))
        if uid <= 0:
            self.report.skip("authors", uid, "no usable uid")
            return None
        penname = self.plain(row, "penname", "authors", uid).strip()
        if not penname:
            self.report.skip("authors", uid, "empty pen name")
            return None
        username = self._username(penname, uid, taken)
        pref = prefs.get(uid)
        level = as_int(pref.values.get("level")) if pref else 0
        password = encoded_from_legacy(self.plain(row, "password", "authors", uid))
        bio = self.text(row, "bio", "authors", uid)
        extra = profile_fields.get(uid)
        if extra:
            bio = (bio + "\n" + extra).strip()
        email = self.plain(row, "email", "authors", uid).strip()
        if "@" not in email or len(email) > 254 or " " in email:
            if email:
                self.report.skip("authors.email", uid, "not an e-mail address; left empty")
            email = ""
        pk = self.pk(Kind.AUTHOR, uid)
        user = User(
            pk=pk,
            username=username,
            password=password or "!",  # "!" = no usable password
            email=email,
            email_verified=bool(email),
            first_name=self.plain(row, "realname", "authors", uid)[:150],
            bio=bio[:5000],
            bio_html=render_text(bio[:5000], "html"),
            date_joined=as_date(row.values.get("date")) or timezone.now(),
            is_staff=level >= 1,
            is_superuser=level == 1,
            is_active=level != -1,
            trusted_author=bool(pref and as_int(pref.values.get("validated"))),
            view_adult=bool(pref and as_int(pref.values.get("ageconsent"))),
            comment_emails=bool(pref is None or as_int(pref.values.get("newreviews"), 1)),
            # eFiction's "alerts": mail about favourite authors' and stories' updates.
            subscription_emails=bool(pref is None or as_int(pref.values.get("alertson"), 1)),
        )
        if password is None:
            self.report.skip("authors.password", uid, "not an md5 hash; must reset password")
        pseud = Pseud(
            pk=self.pk(Kind.PSEUD, uid),
            user_id=pk,
            name=username,
            is_default=True,
            created_at=as_date(row.values.get("date")) or timezone.now(),
        )
        return user, pseud

    def _keep_changed_passwords(self, users: list[User]) -> None:
        """On a re-run, a member who has logged in since (password re-hashed with
        Argon2) or changed their password keeps it: only untouched eFiction hashes are
        refreshed from the dump."""
        current = dict(
            User.objects.filter(pk__in=[u.pk for u in users]).values_list("pk", "password")
        )
        for user in users:
            stored = current.get(user.pk)
            if stored and not stored.startswith(("efiction_md5$", "!")):
                user.password = stored

    def _profile_fields(self) -> dict[int, str]:
        """eFiction's custom profile fields (website, etc.), added to the bio as text."""
        titles = {}
        for row in self.tables["authorfields"]:
            field_id = as_int(row.values.get("field_id"))
            if as_int(row.values.get("field_on"), 1):
                titles[field_id] = self.plain(row, "field_title", "authorfields", field_id)
        lines: dict[int, list[str]] = defaultdict(list)
        for row in self.tables["authorinfo"]:
            title = titles.get(as_int(row.values.get("field")))
            info = self.plain(row, "info", "authorinfo", as_int(row.values.get("uid"))).strip()
            if title and info:
                lines[as_int(row.values.get("uid"))].append(
                    f"<p>{html_lib.escape(title)}: {html_lib.escape(info)}</p>"
                )
        return {uid: "\n".join(parts) for uid, parts in lines.items()}

    def _username(self, penname: str, uid: int, taken: dict[str, int]) -> str:
        name = penname.replace("/", "-")[:USERNAME_MAX]
        if name != penname:
            self.report.skip(
                "authors.penname", uid, "pen name shortened or '/' replaced for the login name"
            )
        base, n = name, 1
        while name.casefold() in taken and taken[name.casefold()] != self.pk(Kind.AUTHOR, uid):
            n += 1
            suffix = f" ({n})" if n > 2 else " (eFiction)"
            name = base[: USERNAME_MAX - len(suffix)] + suffix
        if name != penname.replace("/", "-")[:USERNAME_MAX]:
            self.report.skip("authors.penname", uid, f"pen name already taken; logs in as “{name}”")
        taken[name.casefold()] = self.pk(Kind.AUTHOR, uid)
        return name

    # -- favourites ------------------------------------------------------------------------
    def _import_favourites(self) -> None:
        series_pks = set(
            Series.objects.filter(
                pk__in=[
                    self.pk(Kind.SERIES, as_int(r.values.get("item")))
                    for r in self.tables["favorites"]
                ]
            ).values_list("pk", flat=True)
        )
        bookmarks: dict[tuple[int, str, int], Bookmark] = {}
        subscriptions = []
        for row in self.tables["favorites"]:
            uid = as_int(row.values.get("uid"))
            item = as_int(row.values.get("item"))
            kind = self.plain(row, "type", "favorites", item).upper()
            where = f"{uid}/{kind}/{item}"
            if uid not in self.user_pk:
                self.report.skip("favorites", where, "member does not exist")
                continue
            user_pk = self.user_pk[uid]
            notes = self.text(row, "comments", "favorites", where)
            if kind == "ST":
                if item not in self.story_info:
                    self.report.skip("favorites", where, "story does not exist")
                    continue
                target = ("work", self.story_info[item][0])
            elif kind == "SE":
                if self.pk(Kind.SERIES, item) not in series_pks:
                    self.report.skip("favorites", where, "series does not exist")
                    continue
                target = ("series", self.pk(Kind.SERIES, item))
            elif kind == "AU":
                if item not in self.user_pk or item == uid:
                    self.report.skip("favorites", where, "author does not exist")
                    continue
                subscriptions.append(Subscription(user_id=user_pk, creator_id=self.user_pk[item]))
                continue
            else:
                self.report.skip("favorites", where, f"unknown favourite type “{kind}”")
                continue
            bookmarks[(user_pk, *target)] = Bookmark(
                user_id=user_pk,
                pseud_id=self.pk(Kind.PSEUD, uid),
                notes=notes[:5000],
                notes_html=sanitize_html(notes[:5000], Profile.WORK),
                **{f"{target[0]}_id": target[1]},
            )
        with transaction.atomic():
            users = {key[0] for key in bookmarks}
            existing = {
                (b.user_id, "work" if b.work_id else "series", b.work_id or b.series_id): b
                for b in Bookmark.objects.filter(user_id__in=users)
            }
            new, changed = [], []
            for key, bookmark in bookmarks.items():
                old = existing.get(key)
                if old is None:
                    new.append(bookmark)
                elif old.notes != bookmark.notes:
                    old.notes, old.notes_html = bookmark.notes, bookmark.notes_html
                    changed.append(old)
            Bookmark.objects.bulk_create(new)
            Bookmark.objects.bulk_update(changed, ["notes", "notes_html"])
            Subscription.objects.bulk_create(subscriptions, ignore_conflicts=True)
        self.report.imported["bookmarks"] += len(bookmarks)
        self.report.imported["subscriptions"] += len(subscriptions)
