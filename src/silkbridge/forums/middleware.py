"""Forum pages show times in the forum's own zone: the page activates it, this puts the site's default back."""
from __future__ import annotations

from django.utils import timezone


class ForumTimeZoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            # A zone activated for one forum page must not leak into the next request on this thread.
            timezone.deactivate()
