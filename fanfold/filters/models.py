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
