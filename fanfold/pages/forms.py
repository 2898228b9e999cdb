from django import forms
from django.utils.translation import gettext_lazy as _

from fanfold.markup import TextFormat
from fanfold.pages.models import BODY_MAX, SLUG_MAX, TITLE_MAX, Page
from fanfold.pages.services import PageFields


class PageForm(forms.Form):
    """Reads input only; the rules (unique, reserved and fixed addresses) are in
    `services.py`, whose errors the view puts back on these fields."""

    title = forms.CharField(max_length=TITLE_MAX, label=_("Title"))
    slug = forms.CharField(
        label=_("Address"),
        max_length=SLUG_MAX,
        help_text=_("The page lives at /pages/<address>: lower-case letters, digits, hyphens."),
    )
    text_format = forms.ChoiceField(
        choices=TextFormat.choices(),
        initial=TextFormat.MARKDOWN,
        widget=forms.RadioSelect,
        label=_("Text format"),
    )
    body = forms.CharField(
        label=_("Text"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 24})
    )
    show_in_footer = forms.BooleanField(
        label=_("Link to it in every page's footer"), required=False, initial=True
    )
    order = forms.IntegerField(
        label=_("Footer position"),
        min_value=0,
        max_value=32767,
        initial=0,
        help_text=_("Smaller numbers come first."),
    )

    def __init__(self, *args, page: Page | None = None, **kwargs):
        if page is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": page.title,
                "slug": page.slug,
                "text_format": page.text_format,
                "body": page.body,
                "show_in_footer": page.show_in_footer,
                "order": page.order,
            }
        super().__init__(*args, **kwargs)
        if page is not None and page.required:
            self.fields["slug"].disabled = True
            self.fields["slug"].help_text = _("Sign-up links here, so this address stays.")

    def fields_data(self) -> PageFields:
        data = self.cleaned_data
        return PageFields(
            title=data["title"],
            slug=data["slug"],
            body=data["body"],
            text_format=data["text_format"],
            show_in_footer=data["show_in_footer"],
            order=data["order"],
        )
