"""Posting forms. They only collect and shape input; the services validate and write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from fanfold.accounts.models import Pseud, User
from fanfold.challenges.models import Challenge
from fanfold.tags.models import Tag, TagType
from fanfold.tags.services import split_tag_names
from fanfold.works.models import (
    CHAPTER_MAX,
    NOTES_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    CommentPermission,
    Language,
    TextFormat,
    Work,
)
from fanfold.works.services import ChapterFields, WorkFields


def _tag_input(tag_type: str, help_text: str) -> forms.CharField:
    return forms.CharField(
        required=False,
        max_length=5000,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={"data-autocomplete": tag_type, "autocomplete": "off", "spellcheck": "false"}
        ),
    )


class WorkForm(forms.Form):
    title = forms.CharField(max_length=TITLE_MAX)
    pseuds = forms.ModelMultipleChoiceField(
        queryset=Pseud.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Creator pseuds",
        help_text="Which of your pen names to credit.",
    )
    cocreators = forms.CharField(
        required=False,
        max_length=1000,
        label="Invite co-creators",
        help_text="User names, comma separated. They are credited once they accept.",
    )
    rating = forms.ModelChoiceField(
        queryset=Tag.objects.none(), widget=forms.RadioSelect, empty_label=None
    )
    warnings = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.none(), widget=forms.CheckboxSelectMultiple, label="Archive warnings"
    )
    categories = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    fandoms = _tag_input(TagType.FANDOM, "Comma separated; at least one.")
    relationships = _tag_input(TagType.RELATIONSHIP, "Use / for romantic, & for platonic.")
    characters = _tag_input(TagType.CHARACTER, "Comma separated.")
    freeforms = _tag_input(TagType.FREEFORM, "Anything else readers should know; new tags welcome.")
    freeforms.label = "Additional tags"
    language = forms.ChoiceField(choices=Language.choices, initial=Language.EN)
    text_format = forms.ChoiceField(
        choices=TextFormat.choices,
        initial=TextFormat.HTML,
        widget=forms.RadioSelect,
        label="Text format",
        help_text="Rich text keeps formatting pasted from Word or Google Docs; in plain "
        "text a blank line starts a new paragraph.",
    )
    summary = forms.CharField(required=False, max_length=SUMMARY_MAX, widget=forms.Textarea)
    notes = forms.CharField(
        required=False, max_length=NOTES_MAX, widget=forms.Textarea, label="Beginning notes"
    )
    endnotes = forms.CharField(
        required=False, max_length=NOTES_MAX, widget=forms.Textarea, label="End notes"
    )
    expected_chapters = forms.IntegerField(
        required=False,
        min_value=1,
        label="Expected chapters",
        help_text="Leave empty if you don't know yet.",
    )
    series_title = forms.CharField(
        required=False,
        max_length=TITLE_MAX,
        label="Add to series",
        help_text="One of your series by title, or a new title to start one.",
    )
    challenge = forms.ModelChoiceField(
        queryset=Challenge.objects.all(), required=False, label="In response to challenge"
    )
    restricted = forms.BooleanField(
        required=False, label="Only show to registered users (members only)"
    )
    comment_permission = forms.ChoiceField(
        choices=CommentPermission.choices,
        initial=CommentPermission.EVERYONE,
        label="Who can comment",
    )
    moderated_comments = forms.BooleanField(required=False, label="Hold comments for my approval")

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["pseuds"].queryset = user.pseuds.all()
        self.fields["rating"].queryset = Tag.objects.of_type(TagType.RATING)
        self.fields["warnings"].queryset = Tag.objects.of_type(TagType.WARNING)
        self.fields["categories"].queryset = Tag.objects.of_type(TagType.CATEGORY)
        if user.pseuds.count() < 2:
            del self.fields["pseuds"]

    def clean_cocreators(self) -> list[Pseud]:
        pseuds, missing = [], []
        for name in split_tag_names(self.cleaned_data["cocreators"])[:20]:
            user = User.objects.filter(username__iexact=name, is_active=True).first()
            if user is None:
                missing.append(name)
            elif user.pk != self.user.pk:
                pseuds.append(user.default_pseud)
        if missing:
            raise ValidationError(f"No user called {', '.join(missing)}.")
        return pseuds

    def to_fields(self) -> WorkFields:
        data = self.cleaned_data
        return WorkFields(
            title=data["title"],
            rating=data["rating"],
            warnings=list(data["warnings"]),
            categories=list(data["categories"]),
            fandoms=split_tag_names(data["fandoms"]),
            relationships=split_tag_names(data["relationships"]),
            characters=split_tag_names(data["characters"]),
            freeforms=split_tag_names(data["freeforms"]),
            summary=data["summary"],
            notes=data["notes"],
            endnotes=data["endnotes"],
            text_format=data["text_format"],
            language=data["language"],
            expected_chapters=data["expected_chapters"],
            restricted=data["restricted"],
            comment_permission=data["comment_permission"],
            moderated_comments=data["moderated_comments"],
            series_title=data["series_title"],
            challenge_id=data["challenge"].pk if data["challenge"] else None,
        )

    @staticmethod
    def initial_for(work: Work) -> dict:
        groups = work.tags_by_type
        series = work.serial_works.select_related("series").first()
        return {
            "title": work.title,
            "rating": work.rating_id,
            "warnings": [t.pk for t in groups[TagType.WARNING]],
            "categories": [t.pk for t in groups[TagType.CATEGORY]],
            **{
                field: ", ".join(t.name for t in groups[tag_type])
                for field, tag_type in (
                    ("fandoms", TagType.FANDOM),
                    ("relationships", TagType.RELATIONSHIP),
                    ("characters", TagType.CHARACTER),
                    ("freeforms", TagType.FREEFORM),
                )
            },
            "language": work.language,
            "text_format": work.text_format,
            "summary": work.summary,
            "notes": work.notes,
            "endnotes": work.endnotes,
            "expected_chapters": work.expected_chapters,
            "series_title": series.series.title if series else "",
            "challenge": work.challenge_id,
            "restricted": work.restricted,
            "comment_permission": work.comment_permission,
            "moderated_comments": work.moderated_comments,
        }


class ChapterForm(forms.Form):
    title = forms.CharField(required=False, max_length=TITLE_MAX, label="Chapter title")
    summary = forms.CharField(
        required=False, max_length=SUMMARY_MAX, widget=forms.Textarea, label="Chapter summary"
    )
    notes = forms.CharField(
        required=False, max_length=NOTES_MAX, widget=forms.Textarea, label="Chapter notes"
    )
    body = forms.CharField(
        max_length=CHAPTER_MAX,
        label="Chapter text",
        widget=forms.Textarea(attrs={"class": "body-input"}),
        strip=False,
    )
    endnotes = forms.CharField(
        required=False, max_length=NOTES_MAX, widget=forms.Textarea, label="Chapter end notes"
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


class ReorderForm(forms.Form):
    """One position box per chapter, named `position-<chapter id>`."""

    def __init__(self, *args, chapters, **kwargs):
        super().__init__(*args, **kwargs)
        self.chapters = list(chapters)
        for chapter in self.chapters:
            self.fields[f"position-{chapter.pk}"] = forms.IntegerField(
                min_value=1, initial=chapter.position, label=chapter.display_title
            )

    def order(self) -> list[int]:
        keyed = sorted(
            self.chapters,
            key=lambda c: (self.cleaned_data[f"position-{c.pk}"], c.position),
        )
        return [c.pk for c in keyed]
