"""A reader who chose German reads the filter's explanations in German."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_filter_errors_follow_the_language_cookie(client, make_user, make_work):
    make_work(make_user("ann"), title="Harbour One")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    html = client.get(
        reverse("works:index"), {"tag": "No Such Tag", "words_min": "lots"}
    ).content.decode()
    assert "Kein Tag heißt „No Such Tag“, daher kann kein Werk passen." in html
    # The parameter's own name stays as the link spells it; the sentence around it is German.
    assert "„Words min“ muss eine ganze Zahl sein; ignoriert." in html
    assert "No tag is called" not in html


def test_filter_errors_stay_english_without_a_choice(client):
    html = client.get(reverse("works:index"), {"tag": "No Such Tag"}).content.decode()
    assert "No tag is called “No Such Tag”, so no work can match it." in html
