"""Short write transactions that wait their turn on SQLite's single writer lock.

SQLite lets one connection write at a time; the busy timeout makes a writer wait,
and a transaction that still finds the lock taken is retried a few times with a
growing pause. A lock that cannot be had at all is `DatabaseLocked`, which the
command line turns into exit status 3 (never 1, which means rejected rows).
"""
from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError, transaction

T = TypeVar("T")
RETRIES = 5


class DatabaseLocked(Exception):
    """The database stayed locked by another writer through every retry."""


def is_lock_error(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, OperationalError) and ("database is locked" in text or "database table is locked" in text)


def atomic_with_retry(work: Callable[[], T], *, retries: int = RETRIES, on_retry: Callable[[], None] | None = None) -> T:
    """Run ``work()`` in one transaction; when another writer holds the lock past the busy timeout, try again.

    ``on_retry`` undoes what ``work`` changed outside the database (counters, caches)
    before the next try. Inside an outer transaction nothing can be retried, so the
    error is raised as it is.
    """
    if transaction.get_connection().in_atomic_block:
        return _once(work)
    for attempt in range(retries + 1):
        try:
            return _once(work)
        except DatabaseLocked:
            if attempt == retries:
                raise
            if on_retry:
                on_retry()
            time.sleep(min(2.0, 0.1 * 2 ** attempt) * (0.5 + random.random()))
    raise AssertionError("unreachable")


def _once(work: Callable[[], T]) -> T:
    try:
        with transaction.atomic():
            return work()
    except OperationalError as exc:
        if is_lock_error(exc):
            raise DatabaseLocked("the database is locked by another writer (another import or a running server "
                                 "holds it); nothing of this transaction was stored, try again when it is done") from exc
        raise
