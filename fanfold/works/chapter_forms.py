"""Chapter forms: a chapter's text and notes, a new chapter's place and posting date,
and the reordering of a work's chapters. Like the work form (`forms`), they only collect
and shape input; `chapter_services` validates and writes.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.utils.translation import gettext_lazy as _

from fanfold.works.chapter_services import FUTURE_DATE
from fanfold.works.fields import ChapterFields
from fanfold.works.limits import CHAPTER_MAX, NOTES_MAX, SUMMARY_MAX, TITLE_MAX


class ChapterForm(forms.Form):
    title = forms.CharField(required=False, max_length=TITLE_MAX, label=_("Chapter title"))
    summary = forms.CharField(
        required=False, max_length=SUMMARY_MAX, widget=forms.Textarea, label=_("Chapter summary")
    )
    notes = forms.CharField(
        required=False, max_length=NOTES_MAX, widget=forms.Textarea, label=_("Chapter notes")
    )
    body = forms.CharField(
        max_length=CHAPTER_MAX,
        label=_("Chapter text"),
        widget=forms.Textarea(attrs={"class": "body-input"}),
        strip=False,
    )
    endnotes = forms.CharField(
        required=False, max_length=NOTES_MAX, widget=forms.Textarea, label=_("Chapter end notes")
    )

    def to_fields(self) -> ChapterFields:
        data = self.cleaned_data
        return ChapterFields(
            body=data["body"],
            title=data["title"],
            summary=data["summary"],
            notes=data["notes"],
            endnotes=data["endnotes"],
        )


class NewChapterForm(ChapterForm):
    """A new chapter also chooses its place and, when posted now, the day it counts as
    posted (an earlier day for a chapter first posted elsewhere)."""

    before = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        label=gettext_lazy("Position"),
        help_text=gettext_lazy("Insert the new chapter before an existing one, or at the end."),
    )
    posted_on = forms.DateField(
        required=False,
        label=gettext_lazy("Posting date"),
        help_text=gettext_lazy(
            "Leave empty to post now; an earlier day backdates the chapter. Used only when "
            "the chapter is posted now on a posted work."
        ),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, chapters, **kwargs):
        super().__init__(*args, **kwargs)
        self.chapters = {c.pk: c for c in chapters}
        before = [
            (c.pk, gettext("Before %(number)s. %(title)s") % {
                "number": c.position, "title": c.title or c.display_title,
            })
            for c in self.chapters.values()
        ]  # fmt: skip
        self.fields["before"].choices = [("", gettext("At the end")), *before]
        self.fields["posted_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_posted_on(self):
        value = self.cleaned_data["posted_on"]
        if value is not None and value > timezone.localdate():
            raise ValidationError(FUTURE_DATE, code="future")  # the service checks it too
        return value

    def chosen_before(self):
        pk = self.cleaned_data.get("before")
        return self.chapters.get(pk) if pk is not None else None


class ReorderForm(forms.Form):
    """One position box per chapter, named `position-<chapter id>`. Every position from
    1 to the number of chapters must be given exactly once; otherwise the form comes
    back with what was typed and a message naming the repeated and missing numbers."""

    def __init__(self, *args, chapters, **kwargs):
        super().__init__(*args, **kwargs)
        self.chapters = list(chapters)
        total = len(self.chapters)
        for number, chapter in enumerate(self.chapters, start=1):
            self.fields[f"position-{chapter.pk}"] = forms.IntegerField(
                min_value=1,
                max_value=max(total, 1),
                initial=number,
                label=chapter.title or chapter.display_title,
            )

    def rows(self) -> list[tuple]:
        """(chapter, its position field) in today's order, for the template."""
        return [(c, self[f"position-{c.pk}"]) for c in self.chapters]

    def clean(self) -> dict:
        data = super().clean()
        given = [data.get(f"position-{c.pk}") for c in self.chapters]
        if None in given:
            return data  # the field's own error says what is wrong
        repeated = sorted({n for n in given if given.count(n) > 1})
        missing = sorted(set(range(1, len(self.chapters) + 1)) - set(given))
        if repeated or missing:
            raise ValidationError(_order_problem(repeated, missing), code="positions")
        return data

    def order(self) -> list[int]:
        keyed = sorted(self.chapters, key=lambda c: self.cleaned_data[f"position-{c.pk}"])
        return [c.pk for c in keyed]


def _order_problem(repeated: list[int], missing: list[int]) -> str:
    parts = [gettext("Give each chapter a different position, from 1 to the number of chapters.")]
    if repeated:
        parts.append(
            ngettext(
                "Position %(numbers)s is given more than once.",
                "Positions %(numbers)s are given more than once.",
                len(repeated),
            )
            % {"numbers": ", ".join(map(str, repeated))}
        )
    if missing:
        parts.append(
            ngettext(
                "Position %(numbers)s is missing.",
                "Positions %(numbers)s are missing.",
                len(missing),
            )
            % {"numbers": ", ".join(map(str, missing))}
        )
    return " ".join(parts)
