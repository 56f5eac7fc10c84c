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
