from django.db import models


class TagQuerySet(models.QuerySet):
    def of_type(self, tag_type: str) -> "TagQuerySet":
        return self.filter(type=tag_type)

    def canonical(self) -> "TagQuerySet":
        return self.filter(canonical=True)

    def named(self, name: str) -> "TagQuerySet":
        from fanfold.tags.models import tag_key

        return self.filter(key=tag_key(name))
