"""Login throttling and the client address it counts, as seen through a trusted TLS proxy."""
from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The proxy appends the address it saw to X-Forwarded-For; earlier entries are the client's word and
    could be forged, so only the last one is trusted, and only when a trusted proxy is configured."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR")


def locked_out(request: HttpRequest, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login: a page saying why and for how long, status 429."""
    from django.shortcuts import render

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"lockout_minutes": minutes}, status=429)



class LoginThrottle(AxesStandaloneBackend):
    """django-axes' backend, minus its refusal of `authenticate()` calls made without a request.

    Every login the site offers (the login page, the admin) passes the request, so all of them are
    throttled; a call made in code without one (a test client's `login()`) has no address to count.
    """

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class RefuseNul:
    """Answers 400 to a request whose path, query or form/JSON body holds a NUL character.

    No text the site keeps can contain one, and PostgreSQL refuses it in any string, so it would
    otherwise surface as a server error wherever it reached a query. File uploads (multipart) are
    binary and are not looked at.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = self._nul(request)
        if where is None:
            return self.get_response(request)
        message = f"the request's {where} contains a NUL character"
        if request.path.startswith("/api/"):
            from django.http import JsonResponse

            return JsonResponse({"detail": message, "errors": [{"field": where, "error": "NUL character"}]}, status=400)
        from django.http import HttpResponseBadRequest

        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")

    @staticmethod
    def _nul(request) -> str | None:
        if "\x00" in request.path:
            return "path"
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            return "query"
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.startswith(("application/json", "application/x-www-form-urlencoded")):
            body = request.body
            if b"\x00" in body or b"%00" in body or b"\\u0000" in body:
                return "body"
        return None
