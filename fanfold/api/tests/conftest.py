from __future__ import annotations

import pytest
from django.test import Client

from fanfold.api.services import api_token_create


class Api:
    """A program calling the API, with or without a member's token."""

    def __init__(self, token: str | None = None):
        self.client = Client(raise_request_exception=False)
        self.token = token

    def get(self, path: str, data=None, **headers):
        if self.token is not None:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        return self.client.get("/api/v1" + path, data, headers=headers)

    def json(self, path: str, data=None, **headers) -> dict:
        response = self.get(path, data, **headers)
        assert response.status_code == 200, (path, response.status_code, response.content[:300])
        return response.json()


@pytest.fixture
def guest_api(db) -> Api:
    return Api()


@pytest.fixture
def token_api(db):
    """An Api acting for `user` through a freshly made token."""

    def make(user) -> Api:
        return Api(api_token_create(user=user, name="tests").secret)

    return make
