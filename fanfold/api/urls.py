from django.http import HttpRequest, JsonResponse
from django.urls import include, path, re_path

from fanfold.api import views
from fanfold.api.main import api


def _no_such_endpoint(request: HttpRequest, rest: str = "") -> JsonResponse:
    # Paths the API does not know (an id the id converter refuses, a typo) answer in
    # JSON like the rest of the API, not with the site's HTML 404 page.
    return JsonResponse({"detail": "Not found."}, status=404)


token_patterns = [
    path("preferences/api-tokens", views.token_create, name="create"),
    path("preferences/api-tokens/<id:token_id>/revoke", views.token_revoke, name="revoke"),
]

urlpatterns = [
    # ninja's namespace is "api" (api:openapi-json, api:openapi-view).
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", _no_such_endpoint),
    path("", include((token_patterns, "api_tokens"))),
]
