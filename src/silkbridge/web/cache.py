"""The page cache: anonymous GET pages and API answers, kept until the next committed write to the apps' data.

Writes are seen at the SQL level (a database execute wrapper): every INSERT, UPDATE or DELETE on a table of
the domain apps, whichever path made it (services, bulk_create, QuerySet.update, admin, raw SQL), schedules
one bump of `CacheGeneration` for when its transaction commits. Cache keys carry the generation read at the
start of each request, so a bump retires every cached page at once, in every worker process and on every
node: the counter lives in the shared database, not in the (possibly per-process) cache.
"""
from __future__ import annotations

import hashlib
import logging
import re
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, IntegrityError, connections, transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

log = logging.getLogger("silkbridge.cache")

# Tables whose rows anonymous pages show; the jobs, sessions, login-attempt and auth tables are not among them.
TRACKED_PREFIXES = tuple(f"{label}_" for label in ("directory", "matching", "forums", "outcomes", "news"))
_WRITE = re.compile(r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+["`]?(\w+)', re.IGNORECASE)
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(")')
_PLACEHOLDER = rb"\1@@CSRF@@\2"
# Admin and login pages are never cached (nor is anything a logged-in person sees).
_NEVER = re.compile(r"^/(?:[a-z]{2}(?:-[a-z]+)?/)?(?:admin|accounts|i18n)/")
MAX_BYTES = 4 * 1024 * 1024
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition", "Vary", "Cache-Control")


def bump(using: str = "default") -> None:
    try:
        with connections[using].cursor() as cursor:
            cursor.execute("UPDATE web_cachegeneration SET value = value + 1 WHERE id = 1")
            if cursor.rowcount == 0:
                _restart(cursor)
    except DatabaseError:  # before `migrate` has made the table there is no cached page to retire
        log.debug("no cache generation table yet", exc_info=True)


def _restart(cursor) -> None:
    """The row is gone (a flushed or restored database): start again from a random value, so pages a shared
    cache still holds under the old numbers are never taken for current ones."""
    try:
        with transaction.atomic(using=cursor.db.alias):
            cursor.execute("INSERT INTO web_cachegeneration (id, value) VALUES (1, %s)", [secrets.randbelow(2**40) + 1])
    except IntegrityError:  # another process put it back first
        cursor.execute("UPDATE web_cachegeneration SET value = value + 1 WHERE id = 1")


def generation(using: str = "default") -> int:
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT value FROM web_cachegeneration WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


def watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    match = _WRITE.match(sql) if isinstance(sql, str) else None
    if match and match.group(1).lower().startswith(TRACKED_PREFIXES):
        connection = context["connection"]
        # One bump per transaction, after it commits (at once in autocommit); a rollback drops it.
        if not any(entry[1] is _bump_for(connection.alias) for entry in connection.run_on_commit):
            transaction.on_commit(_bump_for(connection.alias), using=connection.alias)
    return result


_bumps: dict[str, object] = {}


def _bump_for(alias: str):
    if alias not in _bumps:
        _bumps[alias] = lambda: bump(alias)
    return _bumps[alias]


def install(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: watch every new connection's writes (once per connection object)."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


class AnonymousPageCache:
    """Serves anonymous GETs from the cache; the page's CSRF token is put back fresh for each reader."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._cacheable(request):
            return self.get_response(request)
        try:
            key = self._key(request)
            stored = cache.get(key)
        except Exception:  # a cache or database hiccup costs a cache miss, never the page
            log.warning("page cache unavailable", exc_info=True)
            return self.get_response(request)
        if stored is not None:
            return self._rebuild(request, stored)
        response = self.get_response(request)
        if request.method == "GET" and self._storable(response):
            content = _TOKEN.sub(_PLACEHOLDER, response.content)
            headers = [(k, v) for k, v in response.items() if k in _KEPT_HEADERS]
            try:
                cache.set(key, (response.status_code, content, headers), settings.PAGE_CACHE_SECONDS)
            except Exception:
                log.warning("page cache unavailable", exc_info=True)
        return response

    @staticmethod
    def _cacheable(request: HttpRequest) -> bool:
        return (settings.PAGE_CACHE_SECONDS > 0 and request.method in ("GET", "HEAD")
                and not _NEVER.match(request.path) and "messages" not in request.COOKIES
                and not request.user.is_authenticated)

    @staticmethod
    def _key(request: HttpRequest) -> str:
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        language = getattr(request, "LANGUAGE_CODE", "")
        return f"page:{generation()}:{request.get_host()}:{language}:{request.is_secure()}:{path}"

    @staticmethod
    def _storable(response: HttpResponse) -> bool:
        return (response.status_code == 200 and not response.streaming and not response.cookies
                and len(response.content) <= MAX_BYTES
                and "private" not in response.get("Cache-Control", "") and "no-store" not in response.get("Cache-Control", ""))

    @staticmethod
    def _rebuild(request: HttpRequest, stored) -> HttpResponse:
        status, content, headers = stored
        if b"@@CSRF@@" in content:
            content = content.replace(b"@@CSRF@@", get_token(request).encode())
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response["X-Page-Cache"] = "hit"
        return response
