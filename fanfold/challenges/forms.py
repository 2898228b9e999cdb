"""Challenge forms: they collect input; `fanfold.challenges.services` validates and writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fanfold.challenges.models import Challenge
from fanfold.challenges.services import SUMMARY_MAX, TITLE_MAX, ChallengeFields
from fanfold.tags.models import TagType
from fanfold.tags.services import split_tag_names
from fanfold.works.forms import tag_input


class ChallengeForm(forms.Form):
    title = forms.CharField(max_length=TITLE_MAX, label=_("Title"))
    summary = forms.CharField(
        required=False,
        label=_("Summary"),
        max_length=SUMMARY_MAX,
        widget=forms.Textarea,
        help_text=_("The prompt: what responses should do. Basic HTML is allowed."),
    )
    fandoms = tag_input(
        TagType.FANDOM, _("Fandoms"), _("Comma separated; leave empty for any fandom.")
    )
    characters = tag_input(
        TagType.CHARACTER, _("Characters"), _("Comma separated; characters the prompt asks for.")
    )

    @staticmethod
    def initial_for(challenge: Challenge) -> dict:
        return {
            "title": challenge.title,
            "summary": challenge.summary,
            "fandoms": ", ".join(t.name for t in challenge.fandoms.all()),
            "characters": ", ".join(t.name for t in challenge.characters.all()),
        }

    def to_fields(self, challenger_name: str = "") -> ChallengeFields:
        data = self.cleaned_data
        return ChallengeFields(
            title=data["title"],
            summary=data["summary"],
            fandoms=split_tag_names(data["fandoms"]),
            characters=split_tag_names(data["characters"]),
            challenger_name=challenger_name,
        )
