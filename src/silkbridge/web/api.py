"""The JSON API at /api/v1/: one NinjaAPI, each app adds its router."""
from ninja import NinjaAPI
from ninja.security import django_auth

from silkbridge.directory.api import router as directory_router

api = NinjaAPI(title="silkbridge API", version="1", urls_namespace="api")
api.add_router("/organisations", directory_router)

__all__ = ["api", "django_auth"]
