"""The read-only JSON API at /api/v1/: one NinjaAPI with the site's rules around it.

- Errors are JSON `{"detail": …}`: a malformed parameter is a 400 naming the field.
- Every 200 carries an ETag of its body; `If-None-Match` with it answers 304.
- Answers depend on the Authorization header alone (`Vary: Authorization`).
"""

from __future__ import annotations

import hashlib

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from fanfold.api.auth import PersonalToken
from fanfold.api.errors import ApiError
from fanfold.api.routes import catalogue, me, works

PUBLIC = PersonalToken(optional=True)
MEMBERS = PersonalToken(optional=False)
# Operations where the token is optional are marked so the schema says so (see below).
OPTIONAL_MARK = "x-fanfold-token-optional"


class FanfoldAPI(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        patch_vary_headers(response, ["Authorization"])
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            # Clients revalidate with the ETag instead of downloading again.
            response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
            response["Cache-Control"] = "private, no-cache"
            conditional = get_conditional_response(
                request, etag=response["ETag"], response=response
            )
            return conditional or response
        return response

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for methods in schema["paths"].values():
            for operation in methods.values():
                if operation.pop(OPTIONAL_MARK, False):
                    # Anyone may call these; a token shows a member's view.
                    operation["security"] = [{"PersonalToken": []}, {}]
        return schema


api = FanfoldAPI(
    title="Fanfold API",
    version="1.0",
    description=(
        "Read-only access to the archive: works, chapters, tags, series, profiles, and "
        "with a personal token (Preferences → API tokens) your own bookmarks, history "
        "and subscriptions. Send it as `Authorization: Bearer ff_…`."
    ),
    auth=PUBLIC,
    urls_namespace="api",
    # The docs page loads ninja's own static copy of Swagger UI: no CDN, no inline script.
    docs_url="/docs",
)

for router in (works.router, catalogue.router):
    for view in router.path_operations.values():
        for operation in view.operations:
            operation.openapi_extra = {**(operation.openapi_extra or {}), OPTIONAL_MARK: True}
    api.add_router("", router)
api.add_router("", me.router, auth=MEMBERS)


def _json(request: HttpRequest, status: int, detail: str, **extra) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    response = _json(request, exc.status, exc.detail)
    for name, value in exc.headers.items():
        response[name] = value
    return response


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"loc": _location(e.get("loc", ())), "msg": str(e.get("msg", ""))} for e in exc.errors
    ]
    return _json(request, 400, "Some parameters are not valid.", errors=errors)


def _location(loc) -> list:
    # A schema of query parameters adds its own name after the source ("query",
    # "query", "rating", 0): a client wants the parameter it sent.
    out: list = []
    for part in loc:
        if not out or part != out[-1]:
            out.append(part)
    return out


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _json(request, 401, "This needs a personal API token.")
    response["WWW-Authenticate"] = 'Bearer realm="fanfold"'
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _json(request, exc.status_code, str(exc))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _json(request, 404, "Not found.")
