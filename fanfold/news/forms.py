from django import forms
from django.utils.translation import gettext_lazy as _

from fanfold.markup import TextFormat
from fanfold.news.models import BODY_MAX, TITLE_MAX, NewsPost
from fanfold.news.services import NewsPostFields


class NewsPostForm(forms.Form):
    """Reads input only; the rules live in `services.py`."""

    title = forms.CharField(max_length=TITLE_MAX, label=_("Title"))
    text_format = forms.ChoiceField(
        choices=TextFormat.choices(),
        initial=TextFormat.MARKDOWN,
        widget=forms.RadioSelect,
        label=_("Text format"),
        help_text=_(
            "Rich text keeps formatting pasted from a word processor; in plain text "
            "a blank line starts a new paragraph."
        ),
    )
    body = forms.CharField(
        label=_("Text"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 16})
    )
    published = forms.BooleanField(
        label=_("Published (untick to keep it as a draft only staff see)"),
        required=False,
        initial=True,
    )
    comments_enabled = forms.BooleanField(
        label=_("Readers may comment"), required=False, initial=True
    )

    def __init__(self, *args, post: NewsPost | None = None, **kwargs):
        if post is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": post.title,
                "text_format": post.text_format,
                "body": post.body,
                "published": post.published,
                "comments_enabled": post.comments_enabled,
            }
        super().__init__(*args, **kwargs)

    def fields_data(self) -> NewsPostFields:
        data = self.cleaned_data
        return NewsPostFields(
            title=data["title"],
            body=data["body"],
            text_format=data["text_format"],
            published=data["published"],
            comments_enabled=data["comments_enabled"],
        )
