"""The work form, and the helpers other apps' forms share (`tag_input`, `referenced_id`).
Forms only collect and shape input; the services validate and write. A chapter's forms
are in `chapter_forms`, a series' in `series_forms`.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from fanfold.accounts.models import Pseud, User
from fanfold.challenges.models import Challenge
from fanfold.tags.models import Tag, TagType
from fanfold.tags.services import split_tag_names
from fanfold.works.fields import WorkFields
from fanfold.works.limits import NOTES_MAX, SUMMARY_MAX, TITLE_MAX
from fanfold.works.models import CommentPermission, Language, Series, SeriesState, TextFormat, Work


def referenced_id(value: str, kind: str) -> int | None:
    """The number in "12", "#12" or an address ending in "/<kind>/12"; None otherwise.
    Only the path is read, so a copied link from any host of this archive works."""
    match = re.fullmatch(
        rf"#?(\d{{1,12}})|(?:\S*/)?{kind}/(\d{{1,12}})/?(?:[?#]\S*)?", value.strip()
    )
    if match is None:
        return None
    return int(match.group(1) or match.group(2))


# A bound for the stored number (a 32-bit column on PostgreSQL), far above any real work.
EXPECTED_CHAPTERS_MAX = 10_000


def tag_input(tag_type: str, label: str, help_text: str) -> forms.CharField:
    return forms.CharField(
        required=False,
        max_length=5000,
        label=label,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={
                "data-autocomplete": tag_type,
                "data-autocomplete-multiple": True,
                "autocomplete": "off",
                "spellcheck": "false",
            }
        ),
    )


class WorkForm(forms.Form):
    title = forms.CharField(max_length=TITLE_MAX, label=_("Title"))
    pseuds = forms.ModelMultipleChoiceField(
        queryset=Pseud.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Creator pseuds"),
        help_text=_("Which of your pen names to credit."),
    )
    cocreators = forms.CharField(
        required=False,
        max_length=1000,
        label=_("Invite co-creators"),
        help_text=_("User names, comma separated. They are credited once they accept."),
    )
    rating = forms.ModelChoiceField(
        queryset=Tag.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label=_("Rating"),
    )
    warnings = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Archive warnings"),
    )
    categories = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Categories"),
    )
    fandoms = tag_input(TagType.FANDOM, _("Fandoms"), _("Comma separated; at least one."))
    relationships = tag_input(
        TagType.RELATIONSHIP, _("Relationships"), _("Use / for romantic, & for platonic.")
    )
    characters = tag_input(TagType.CHARACTER, _("Characters"), _("Comma separated."))
    freeforms = tag_input(
        TagType.FREEFORM,
        _("Additional tags"),
        _("Anything else readers should know; new tags welcome."),
    )
    language = forms.ChoiceField(choices=Language.choices, initial=Language.EN, label=_("Language"))
    text_format = forms.ChoiceField(
        choices=TextFormat.choices,
        initial=TextFormat.HTML,
        widget=forms.RadioSelect,
        label=_("Text format"),
        help_text=_(
            "Rich text keeps formatting pasted from Word or Google Docs; in plain "
            "text a blank line starts a new paragraph."
        ),
    )
    summary = forms.CharField(
        required=False, max_length=SUMMARY_MAX, widget=forms.Textarea, label=_("Summary")
    )
    notes = forms.CharField(
        required=False, max_length=NOTES_MAX, widget=forms.Textarea, label=_("Beginning notes")
    )
    endnotes = forms.CharField(
        required=False, max_length=NOTES_MAX, widget=forms.Textarea, label=_("End notes")
    )
    expected_chapters = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=EXPECTED_CHAPTERS_MAX,
        label=_("Expected chapters"),
        help_text=_("Leave empty if you don't know yet."),
    )
    series_title = forms.CharField(
        required=False,
        max_length=TITLE_MAX,
        label=_("Add to series"),
        help_text=_("One of your series by title, or a new title to start one."),
    )
    series_ref = forms.CharField(
        required=False,
        max_length=500,
        label=_("Add to another member's series"),
        help_text=_(
            "Its number or address (e.g. 12, or a link ending in /series/12). Open "
            "series take your work at once; moderated ones once their owner approves it."
        ),
    )
    challenge = forms.CharField(
        required=False,
        max_length=500,
        label=_("In response to challenge"),
        help_text=_(
            "The challenge's number or address (e.g. 7, or a link ending in /challenges/7)."
        ),
    )
    restricted = forms.BooleanField(
        required=False, label=_("Only show to registered users (members only)")
    )
    comment_permission = forms.ChoiceField(
        choices=CommentPermission.choices,
        initial=CommentPermission.EVERYONE,
        label=_("Who can comment"),
    )
    moderated_comments = forms.BooleanField(
        required=False, label=_("Hold comments for my approval")
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["pseuds"].queryset = user.pseuds.all()
        self.fields["rating"].queryset = Tag.objects.of_type(TagType.RATING)
        self.fields["warnings"].queryset = Tag.objects.of_type(TagType.WARNING)
        self.fields["categories"].queryset = Tag.objects.of_type(TagType.CATEGORY)
        if user.pseuds.count() < 2:
            del self.fields["pseuds"]

    def clean_series_ref(self) -> Series | None:
        raw = self.cleaned_data["series_ref"].strip()
        if not raw:
            return None
        number = referenced_id(raw, "series")
        # A series the author may not see answers as one that does not exist.
        series = Series.objects.readable_by(self.user).filter(pk=number).first() if number else None
        if series is None:
            raise ValidationError(_("There is no series with that number or address."))
        if series.state == SeriesState.CLOSED and series.owner_id != self.user.pk:
            raise ValidationError(
                gettext("“%(title)s” is closed: only its owner adds works to it.")
                % {"title": series.title}
            )
        return series

    def clean_challenge(self) -> Challenge | None:
        raw = self.cleaned_data["challenge"].strip()
        if not raw:
            return None
        number = referenced_id(raw, "challenges")
        challenge = Challenge.objects.filter(pk=number).first() if number else None
        if challenge is None:
            raise ValidationError(_("There is no challenge with that number or address."))
        return challenge

    def clean_cocreators(self) -> list[Pseud]:
        pseuds, missing = [], []
        for name in split_tag_names(self.cleaned_data["cocreators"])[:20]:
            user = User.objects.filter(username__iexact=name, is_active=True).first()
            if user is None:
                missing.append(name)
            elif user.pk != self.user.pk:
                pseuds.append(user.default_pseud)
        if missing:
            raise ValidationError(
                ngettext(
                    "No member is called %(names)s.",
                    "No members are called %(names)s.",
                    len(missing),
                )
                % {"names": ", ".join(missing)}
            )
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
            series_id=data["series_ref"].pk if data["series_ref"] else None,
            challenge_id=data["challenge"].pk if data["challenge"] else None,
        )

    @staticmethod
    def initial_for(work: Work, user: User | None = None) -> dict:
        groups = work.tags_by_type
        # Only the editor's own series goes in the title box: a title there means "my
        # series of that name", so another member's title would start a new one.
        series = work.serial_works.filter(series__owner=user).select_related("series").first()
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
            "challenge": str(work.challenge_id or ""),
            "restricted": work.restricted,
            "comment_permission": work.comment_permission,
            "moderated_comments": work.moderated_comments,
        }
