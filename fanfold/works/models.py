"""Works, chapters, creators and series.

Derived values (sanitised HTML, word counts, chapter counts, completion, dates) are
computed at write time by `fanfold.works.services`; reading a page never parses text.
"""

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fanfold.markup.fields import SanitizedHTMLField
from fanfold.tags.models import TagType
from fanfold.works.limits import NOTES_MAX, SUMMARY_MAX, TITLE_MAX
from fanfold.works.querysets import ChapterQuerySet, SeriesQuerySet, WorkQuerySet


class TextFormat(models.TextChoices):
    HTML = "html", _("Rich text (HTML)")
    MARKDOWN = "markdown", _("Markdown")
    PLAIN = "plain", _("Plain text")


class CommentPermission(models.TextChoices):
    EVERYONE = "everyone", _("Everyone, including guests")
    REGISTERED = "registered", _("Registered users only")
    NOBODY = "nobody", _("Nobody")


class Language(models.TextChoices):
    # A practical list; more can be added without a data migration.
    EN = "en", "English"
    DE = "de", "Deutsch"
    ES = "es", "Español"
    FR = "fr", "Français"
    IT = "it", "Italiano"
    NL = "nl", "Nederlands"
    PL = "pl", "Polski"
    PT = "pt", "Português"
    RU = "ru", "Русский"
    UK = "uk", "Українська"
    SV = "sv", "Svenska"
    FI = "fi", "Suomi"
    TR = "tr", "Türkçe"
    ZH = "zh", "中文"
    JA = "ja", "日本語"
    KO = "ko", "한국어"
    TH = "th", "ไทย"
    VI = "vi", "Tiếng Việt"
    ID = "id", "Bahasa Indonesia"
    AR = "ar", "العربية"
    HE = "he", "עברית"
    FA = "fa", "فارسی"
    UR = "ur", "اردو"


# Languages written right to left: a work's text in one of them gets dir="rtl".
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb"})


class Approval(models.TextChoices):
    """Whether staff let a work out. Only approved works reach readers; the moderation
    queue (site setting "new works need approval", and eFiction's unvalidated stories)
    holds the rest."""

    APPROVED = "approved", _("Approved")
    PENDING = "pending", _("Waiting for approval")
    REJECTED = "rejected", _("Not approved")


class SeriesState(models.TextChoices):
    CLOSED = "closed", _("Closed: only the owner adds works")
    MODERATED = "moderated", _("Moderated: others may add works, the owner approves them")
    OPEN = "open", _("Open: anyone may add their works")


class Preface(models.Model):
    """Summary, beginning notes and end notes: what the author typed and its safe HTML."""

    summary = models.TextField(blank=True)
    summary_html = SanitizedHTMLField()
    notes = models.TextField(blank=True)
    notes_html = SanitizedHTMLField()
    endnotes = models.TextField(blank=True)
    endnotes_html = SanitizedHTMLField()

    class Meta:
        abstract = True


class Work(Preface):
    title = models.CharField(max_length=TITLE_MAX)
    text_format = models.CharField(max_length=10, choices=TextFormat.choices, default="html")
    language = models.CharField(max_length=12, choices=Language.choices, default=Language.EN)
    tags = models.ManyToManyField("tags.Tag", through="WorkTag", related_name="works")
    expected_chapters = models.PositiveIntegerField(null=True, blank=True)
    # Derived at write time from the posted chapters.
    chapter_count = models.PositiveIntegerField(default=0)
    word_count = models.PositiveIntegerField(default=0)
    complete = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(auto_now=True)
    posted = models.BooleanField(default=False)
    restricted = models.BooleanField("members only", default=False)
    hidden_by_admin = models.BooleanField(default=False)
    hidden_reason = models.TextField(blank=True)
    approval = models.CharField(
        max_length=10, choices=Approval.choices, default=Approval.APPROVED, db_index=True
    )
    # The moderator's message to the creators when a work is rejected (or approved).
    approval_message = models.TextField(blank=True)
    featured = models.BooleanField(default=False)
    comment_permission = models.CharField(
        max_length=12, choices=CommentPermission.choices, default=CommentPermission.EVERYONE
    )
    moderated_comments = models.BooleanField(default=False)
    challenge = models.ForeignKey(
        "challenges.Challenge",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responses",
    )
    # Statistics shown on the work and used for sorting.
    hits = models.PositiveIntegerField(default=0)
    # Hits already folded out of the per-day ledger (see works.hits).
    hits_folded = models.PositiveIntegerField(default=0)
    # Denormalised counters for display and sorting. They are only ever changed
    # with F() expressions inside the transaction that adds or removes the row
    # they count, so concurrent readers never lose an update.
    kudos_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    bookmark_count = models.PositiveIntegerField(default=0)
    # Bumped by every change that alters what a reader sees; part of the page-cache key.
    render_version = models.PositiveIntegerField(default=1)
    # Rating shown in blurbs and used by the adult gate; kept here to avoid a join.
    rating = models.ForeignKey(
        "tags.Tag", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = WorkQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["posted", "hidden_by_admin", "restricted", "-updated_at"]),
            # One per listing sort: while the filter index is being built, a broad
            # listing's page walks its sort's order here instead of sorting the whole
            # archive (fanfold/filters/fallback.py). `updated_at` has its own already.
            *(
                models.Index(fields=[column])
                for column in (
                    "published_at",
                    "word_count",
                    "kudos_count",
                    "hits",
                    "comment_count",
                    "bookmark_count",
                )
            ),
            # The title sort's order (case-folded, newest first on a tie), for the same
            # walk; the creator sort has none (its key is in another table).
            models.Index(Lower("title"), F("id").desc(), name="works_work_title_sort"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("works:detail", args=[self.pk])

    @cached_property
    def tags_by_type(self) -> dict[str, list]:
        """The work's tags grouped by type, from the prefetched `tags` (no query when
        the listing prefetched them)."""
        groups: dict[str, list] = {t: [] for t in TagType.values}
        for tag in sorted(self.tags.all(), key=lambda t: (t.sort_order, t.name.casefold())):
            groups[tag.type].append(tag)
        return groups

    @property
    def creators(self) -> list:
        """Approved creators' pseuds (uses the listing's prefetch when present)."""
        creatorships = getattr(self, "approved_creatorships", None)
        if creatorships is None:
            creatorships = self.creatorships.filter(approved=True).select_related("pseud__user")
        return [c.pseud for c in creatorships]

    @property
    def text_direction(self) -> str:
        """ "rtl" or "ltr", for the `dir` of the work's own text (not the interface)."""
        return "rtl" if self.language.split("-")[0].lower() in RTL_LANGUAGES else "ltr"

    @property
    def is_adult(self) -> bool:
        # No rating counts as adult: the reader has not been told otherwise.
        return self.rating_id is None or bool(self.rating and self.rating.adult)

    @property
    def chapters_display(self) -> str:
        expected = self.expected_chapters if self.expected_chapters else "?"
        return f"{self.chapter_count}/{expected}"


class WorkTag(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE)
    tag = models.ForeignKey("tags.Tag", on_delete=models.CASCADE, related_name="work_tags")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["work", "tag"], name="works_worktag_unique")]
        indexes = [models.Index(fields=["tag", "work"])]

    def __str__(self) -> str:
        return f"work {self.work_id} tagged {self.tag_id}"


class Creatorship(models.Model):
    """A pseud credited on a work. Co-creators must accept before they are shown."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="creatorships")
    pseud = models.ForeignKey(
        "accounts.Pseud", on_delete=models.CASCADE, related_name="creatorships"
    )
    approved = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["work", "pseud"], name="works_creatorship_unique")
        ]

    def __str__(self) -> str:
        return f"pseud {self.pseud_id} on work {self.work_id}"


class Chapter(Preface):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="chapters")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=TITLE_MAX, blank=True)
    body = models.TextField(blank=True)
    body_html = SanitizedHTMLField()
    word_count = models.PositiveIntegerField(default=0)
    posted = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    # Hidden by staff: gone for readers (pages, navigation, counts), kept for its
    # creators, who see `hidden_reason`, and for staff.
    hidden_by_admin = models.BooleanField(default=False)
    hidden_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(auto_now=True)
    # Reads of this chapter (eFiction counted them per chapter; carried over on import).
    hits = models.PositiveIntegerField(default=0)

    objects = ChapterQuerySet.as_manager()

    class Meta:
        ordering = ["position"]
        indexes = [models.Index(fields=["work", "posted", "position"])]

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return reverse("works:chapter", args=[self.work_id, self.pk])

    @property
    def display_title(self) -> str:
        # In the active language: the reader's on pages, the site's in downloads.
        if self.title:
            return gettext("Chapter %(number)s: %(title)s") % {
                "number": self.position,
                "title": self.title,
            }
        return gettext("Chapter %(number)s") % {"number": self.position}


class Series(models.Model):
    title = models.CharField(max_length=TITLE_MAX)
    summary = models.TextField(blank=True, max_length=SUMMARY_MAX)
    summary_html = SanitizedHTMLField()
    notes = models.TextField(blank=True, max_length=NOTES_MAX)
    notes_html = SanitizedHTMLField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="series"
    )
    complete = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=SeriesState.choices, default="closed")
    works = models.ManyToManyField(Work, through="SerialWork", related_name="series")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SeriesQuerySet.as_manager()

    class Meta:
        verbose_name_plural = _("series")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("works:series", args=[self.pk])


class SerialWork(models.Model):
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="serial_works")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="serial_works")
    position = models.PositiveIntegerField(default=1)
    # False while the owner of a moderated series has not accepted someone else's work.
    approved = models.BooleanField(default=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["series", "work"], name="works_serialwork_unique")
        ]

    def __str__(self) -> str:
        return f"part {self.position} of series {self.series_id}"


class HitLedger(models.Model):
    """One row per visitor per work per day; `Work.hits` is derived from it.

    Rows older than a couple of days are folded into `Work.hits_folded` and deleted, so
    the table stays small while a visitor still counts once per day.
    """

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    visitor = models.CharField(max_length=32)
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["work", "day", "visitor"], name="works_hitledger_unique"
            )
        ]

    def __str__(self) -> str:
        return f"hit on work {self.work_id} on {self.day}"


class RevisionKind(models.TextChoices):
    RATING = "rating", _("re-rate")
    TAGS = "tags", _("re-tag")


class RevisionRequest(models.Model):
    """Staff asked a work's creators to re-rate or re-tag it. The work stays hidden from
    readers until a creator next saves it (`fanfold.works.revisions`)."""

    work = models.OneToOneField(Work, on_delete=models.CASCADE, related_name="revision_request")
    kind = models.CharField(max_length=10, choices=RevisionKind.choices)
    reason = models.TextField(help_text="Shown to the creators.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    # Whether the request itself hid the work: only then does the creator's edit show it
    # again (a work staff hid for another reason stays hidden).
    hid_work = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} work {self.work_id}"
