"""A "not found" whose message is written for the reader."""

from __future__ import annotations

from django.http import Http404


class NotFound(Http404):
    """Raise with a translated message (`gettext("No such work.")`): the 404 page shows
    it. A plain Http404's message is not shown, because Django's get_object_or_404
    writes English ones that name our model classes ("No Work matches the given query.")."""
