"""A model field for HTML that was sanitised when it was written.

Values read back (from the database or assigned in memory) are marked safe, so templates
print them without `|safe`, and the one place trust is granted is this field. Only
services that pass text through `sanitize_html`/`render_text` assign to such a field.
"""

from django.db import models
from django.utils.safestring import SafeString


class _SafeAttribute:
    def __init__(self, name: str):
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return instance.__dict__.get(self.name, "")

    def __set__(self, instance, value):
        # The text went through nh3 at write time (see fanfold.markup.sanitize).
        instance.__dict__[self.name] = None if value is None else SafeString(value)


class SanitizedHTMLField(models.TextField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def contribute_to_class(self, cls, name, private_only=False):
        super().contribute_to_class(cls, name, private_only=private_only)
        setattr(cls, self.attname, _SafeAttribute(self.attname))
