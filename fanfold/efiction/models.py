"""What an eFiction import leaves behind so old links keep answering.

eFiction ids are kept: an imported story, chapter, author, series, challenge or review
gets the primary key `legacy id + offset`, where the offset for each kind is chosen on
the first run (0 when the archive has nothing in the way, which is the usual case for a
fresh archive) and stored here, so every re-run and every old URL finds the same rows
with arithmetic instead of a lookup table.

Things that have no 1:1 primary key (categories, characters and classes become tags; an
author's response inside a review becomes a reply) are listed in `LegacyId`.
"""

from django.db import models


class Kind(models.TextChoices):
    # Kinds whose Fanfold primary key is `legacy id + offset`.
    AUTHOR = "author", "author → user"
    PSEUD = "pseud", "author → pen name"
    STORY = "story", "story → work"
    CHAPTER = "chapter", "chapter"
    SERIES = "series", "series"
    CHALLENGE = "challenge", "challenge"
    REVIEW = "review", "review → comment"
    # Kinds listed in LegacyId.
    CATEGORY = "category", "category → tag"
    CHARACTER = "character", "character → tag"
    CLASS = "class", "class → tag"
    RATING = "rating", "rating → tag"
    RESPONSE = "response", "author's response → reply"
    NEWS = "news", "news item → news post"
    NEWS_COMMENT = "newscomment", "news comment → comment"


OFFSET_KINDS = (
    Kind.AUTHOR,
    Kind.PSEUD,
    Kind.STORY,
    Kind.CHAPTER,
    Kind.SERIES,
    Kind.CHALLENGE,
    Kind.REVIEW,
)


class EfictionImport(models.Model):
    """The one eFiction archive this Fanfold archive took over (pk=1)."""

    source = models.CharField(max_length=500, help_text="The dump file or database imported.")
    prefix = models.CharField(max_length=64, blank=True)
    # {"story": 0, "author": 12, ...}: Fanfold pk = eFiction id + offset.
    offsets = models.JSONField(default=dict)
    # {"story": 5012, ...}: the highest eFiction id each kind has imported. On a re-run,
    # a row above it whose Fanfold id is already used was made in Fanfold since (a new
    # member, work or comment) and is never overwritten.
    high_water = models.JSONField(default=dict)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    runs = models.PositiveIntegerField(default=0)
    # The old site's date format (its `dateformat` setting, as strftime), so the old
    # story pages print dates the way that site's reader-tool adapters parse them.
    date_format = models.CharField(max_length=50, blank=True)
    # The last run's report (counts, skipped rows, encoding guesses, word-count changes).
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "eFiction import"

    def __str__(self) -> str:
        return f"eFiction import from {self.source}"

    def pk_for(self, kind: str, legacy_id: int) -> int:
        return int(legacy_id) + int(self.offsets.get(kind, 0))

    def legacy_for(self, kind: str, pk: int) -> int:
        return int(pk) - int(self.offsets.get(kind, 0))


class LegacyId(models.Model):
    kind = models.CharField(max_length=16, choices=Kind.choices)
    legacy_id = models.BigIntegerField()
    object_id = models.BigIntegerField()
    # Context the old pages need: a class's type title ("Genres", "Warnings"), a
    # rating's eFiction name.
    group = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "legacy_id"], name="efiction_legacyid_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.legacy_id} → {self.object_id}"
