"""The JSON API at /api/v1/: one NinjaAPI, each app adds its router.

Every error answer has the one `Error` body (silkbridge.apischema), ninja's own validation
errors included, and the OpenAPI schema documents the errors any operation can give.
"""
from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError

from silkbridge.accounts.api import router as accounts_router
from silkbridge.directory.api import router as directory_router
from silkbridge.forums.api import router as forums_router
from silkbridge.forums.selfservice_api import router as my_forums_router
from silkbridge.matching.api import router as matching_router
from silkbridge.news.api import router as news_router
from silkbridge.outcomes.api import router as outcomes_router

ERROR_REF = {"$ref": "#/components/schemas/Error"}
_DESCRIPTIONS = {"400": "Bad request", "401": "Not logged in", "403": "Not allowed", "404": "Not found",
                 "422": "Invalid input: `errors` names each field"}


class SilkbridgeAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        # Every router answers some error with `Error`, so the component is always there to refer to.
        assert "Error" in schema["components"]["schemas"]
        for url, methods in schema["paths"].items():
            for operation in methods.values():
                codes = {"400", "422"}  # a malformed body, query or path value, or one out of its declared range
                if "{" in url:
                    codes.add("404")
                if operation.get("security"):
                    codes |= {"401", "403"}  # not logged in; a write without its CSRF token
                responses = operation.setdefault("responses", {})
                for code in sorted(codes - set(responses)):
                    responses[code] = {"description": _DESCRIPTIONS[code],
                                       "content": {"application/json": {"schema": ERROR_REF}}}
        return schema


api = SilkbridgeAPI(title="silkbridge API", version="1", urls_namespace="api")


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """ninja's 422 as the documented `Error`: `query.limit`, `body.payload.name` … with pydantic's reason."""
    errors = [{"field": ".".join(str(part) for part in e.get("loc", ())) or "__all__", "error": str(e.get("msg", ""))}
              for e in exc.errors]
    return api.create_response(request, {"detail": "invalid request", "errors": errors}, status=422)


# Matches live under an organisation: /api/v1/organisations/{id}/matches.
api.add_router("/organisations", matching_router)
api.add_router("/organisations", directory_router)
api.add_router("/me", accounts_router)
api.add_router("/forums", forums_router)
api.add_router("/me", my_forums_router)
api.add_router("/outcomes", outcomes_router)
api.add_router("/news", news_router)
