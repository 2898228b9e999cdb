"""Personal tokens from the preferences page: shown once, stored as a digest only,
revoked at once."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from fanfold.api.models import TOKENS_MAX, ApiToken
from fanfold.api.services import api_token_create, token_digest

from .conftest import Api

pytestmark = pytest.mark.django_db


def test_a_member_makes_a_token_sees_it_once_and_revokes_it(client, make_user):
    member = make_user()
    client.force_login(member)
    page = client.get("/preferences").content.decode()
    assert "API tokens" in page and "/api/v1/docs" in page
    shown = client.post("/preferences/api-tokens", {"name": "reader app"})
    assert shown.status_code == 200 and shown["Cache-Control"] == "no-store"
    secret = re.search(r'value="(ff_[^"]+)"', shown.content.decode()).group(1)
    token = ApiToken.objects.get(user=member)
    # Only the digest is kept; the page after never shows the secret again.
    assert token.digest == token_digest(secret) and secret not in str(vars(token))
    listed = client.get("/preferences").content.decode()
    assert "reader app" in listed and secret not in listed
    assert Api(secret).get("/me/history").status_code == 200
    response = client.post(f"/preferences/api-tokens/{token.pk}/revoke")
    assert response.status_code == 302 and response["Location"].endswith("#api-tokens")
    assert Api(secret).get("/me/history").status_code == 401


def test_only_the_owner_revokes_and_nobody_makes_tokens_by_get(client, make_user):
    owner, other = make_user(), make_user()
    token = api_token_create(user=owner, name="phone").token
    client.force_login(other)
    client.post(f"/preferences/api-tokens/{token.pk}/revoke")
    assert ApiToken.objects.filter(pk=token.pk).exists()
    assert client.get("/preferences/api-tokens").status_code == 405
    client.logout()
    response = client.post("/preferences/api-tokens", {"name": "x"})
    assert response.status_code == 302 and "/login" in response["Location"]


def test_names_are_required_and_tokens_are_capped(make_user):
    member = make_user()
    with pytest.raises(ValidationError):
        api_token_create(user=member, name="   ")
    for n in range(TOKENS_MAX):
        api_token_create(user=member, name=f"app {n}")
    with pytest.raises(ValidationError, match="at most"):
        api_token_create(user=member, name="one more")
