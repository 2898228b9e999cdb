"""The series settings form; `series_services` validates and writes what it collects."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fanfold.works.limits import NOTES_MAX, SUMMARY_MAX, TITLE_MAX
from fanfold.works.models import Series, SeriesState
from fanfold.works.series_services import SeriesFields


class SeriesForm(forms.Form):
    title = forms.CharField(max_length=TITLE_MAX, label=_("Title"))
    summary = forms.CharField(
        required=False, max_length=SUMMARY_MAX, widget=forms.Textarea, label=_("Summary")
    )
    notes = forms.CharField(
        required=False, max_length=NOTES_MAX, widget=forms.Textarea, label=_("Notes")
    )
    complete = forms.BooleanField(required=False, label=_("This series is complete"))
    state = forms.ChoiceField(
        choices=SeriesState.choices,
        widget=forms.RadioSelect,
        label=_("Who may add works"),
    )

    @staticmethod
    def initial_for(series: Series) -> dict:
        return {
            "title": series.title,
            "summary": series.summary,
            "notes": series.notes,
            "complete": series.complete,
            "state": series.state,
        }

    def to_fields(self) -> SeriesFields:
        data = self.cleaned_data
        return SeriesFields(
            title=data["title"],
            summary=data["summary"],
            notes=data["notes"],
            complete=data["complete"],
            state=data["state"],
        )
