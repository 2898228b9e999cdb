"""The works services' validation messages reach a German reader in German."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from fanfold.works.fields import ChapterFields, validate_chapter_fields
from fanfold.works.limits import TITLE_MAX
from fanfold.works.models import Work
from fanfold.works.tests.test_posting_views import form_data

pytestmark = pytest.mark.django_db


def test_work_validation_error_follows_the_language_cookie(client, make_user):
    client.force_login(make_user("wren"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    response = client.post(reverse("works:new"), form_data(fandoms=" , "))
    assert response.status_code == 200 and not Work.objects.exists()
    assert "Nenne mindestens ein Fandom." in response.text
    assert "Name at least one fandom." not in response.text


def test_length_error_names_the_field_in_german():
    # The form's own max_length catches a long title first; the service's message is
    # what importers and the API see, so it is checked where it is raised.
    with translation.override("de"), pytest.raises(ValidationError) as caught:
        validate_chapter_fields(ChapterFields(body="x", title="x" * (TITLE_MAX + 1)))
    assert caught.value.message_dict["title"] == [
        f"Kapiteltitel: höchstens {TITLE_MAX:,} Zeichen (jetzt {TITLE_MAX + 1:,})."
    ]
