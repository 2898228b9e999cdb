"""Errors the API answers with: one JSON shape, `{"detail": "..."}`."""

from __future__ import annotations


class ApiError(Exception):
    """An answer other than 200, with the sentence to send and any headers."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}
