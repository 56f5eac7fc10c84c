"""Personal API tokens beside the browser session.

`ApiTokenAuth` is a django-ninja auth class; `api_auth` (token, then session) is what endpoints
of later apps may name. `ApiTokenMiddleware` lets a token stand in for the session on every
/api/ endpoint, including those that name Django's session auth, and exempts such requests
from CSRF (a bearer token is not sent by a browser on its own, so it cannot be forged by a page).
"""
from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from silkbridge.accounts import services


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = services.user_for_token(token)
        if user is None:
            return None
        request.user = user
        return user


api_token_auth = ApiTokenAuth()
api_auth = [api_token_auth, django_auth]


class ApiTokenMiddleware:
    PREFIX = "/api/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        header = request.headers.get("Authorization", "")
        if request.path.startswith(self.PREFIX) and header[:7].lower() == "bearer ":
            user = services.user_for_token(header[7:].strip())
            if user is not None:
                request.user = user
                request._dont_enforce_csrf_checks = True
        return self.get_response(request)
