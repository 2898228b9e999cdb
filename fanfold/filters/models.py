"""The change log the in-process filter indexes follow.

The database stays the single source of truth: every write that changes what a work is
filtered by appends a row here in the same transaction, and each process's index reads
the rows it has not seen yet at the start of a query.
"""

from django.db import models


class FilterChange(models.Model):
    id = models.BigAutoField(primary_key=True)
    # Plain integers, not foreign keys: the row must outlive a deleted work or tag, since
    # the deletion itself is the change the indexes need to hear about.
    work_id = models.BigIntegerField(null=True, blank=True)
    tag_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"change {self.id}: work {self.work_id} tag {self.tag_id}"


class SavedFilter(models.Model):
    """A member's named filter: the query string of a works listing, kept to reuse."""

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="saved_filters"
    )
    name = models.CharField(max_length=100)
    # The listing's path (e.g. /works or /tags/Fluff/works) and its GET parameters.
    path = models.CharField(max_length=500)
    query = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="filters_saved_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def url(self) -> str:
        return f"{self.path}?{self.query}" if self.query else self.path


class StandingExclusion(models.Model):
    """A tag a member never wants to see: applied to every listing's results and counts
    (unlike browser extensions that hide blurbs after the counts are made)."""

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="standing_exclusions"
    )
    tag = models.ForeignKey("tags.Tag", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "tag"], name="filters_standing_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} excludes {self.tag_id}"
