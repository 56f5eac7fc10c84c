"""Background tasks of matching: thin wrappers taking organisation ids (see silkbridge.jobs.dispatch)."""
from __future__ import annotations

import logging
import threading

log = logging.getLogger("silkbridge.matching")

_pending: set[int] = set()
_pending_lock = threading.Lock()
_worker = threading.Lock()


def reembed_organisations(ids: list[int]) -> dict[str, int]:
    """Re-embed ``ids`` and refresh the recommendations they affect.

    An import or the demo sends one signal per saved organisation, and without a
    broker each becomes a thread. Ids are therefore pooled: whichever call holds the
    worker lock drains the pool, and the others return at once.
    """
    from . import services

    with _pending_lock:
        _pending.update(int(i) for i in ids)
    total = {"encoded": 0, "refreshed": 0, "rows": 0}
    while True:
        if not _worker.acquire(blocking=False):
            return total
        try:
            with _pending_lock:
                batch = sorted(_pending)
                _pending.clear()
            if batch:
                done = services.reembed(batch)
                log.debug("re-embedded %d organisation(s): %s", len(batch), done)
                total = {k: total[k] + done[k] for k in total}
        finally:
            _worker.release()
        with _pending_lock:
            # Ids added while we held the lock were left to us by callers that gave up.
            if not _pending:
                return total


def compute_all(top: int = 10) -> int:
    """Recompute the whole recommendation table; returns the number of organisations."""
    from . import services

    return len(services.compute_matches(None, top))
