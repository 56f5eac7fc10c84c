"""Receivers of the directory's signals: keep embeddings current, and show partners on an organisation's page."""
from __future__ import annotations

from silkbridge.jobs.dispatch import dispatch
from silkbridge.matching.tasks import reembed_organisations

# A bulk import is not re-embedded in the background of the importing process: embeddings are
# keyed by text hash, so the next `match` run (or page view) embeds exactly what changed.
BACKGROUND_LIMIT = 50


def organisations_changed(sender, ids=(), **kwargs) -> None:
    """Queue a re-embed of the changed organisations once their transaction commits."""
    ids = sorted({int(i) for i in ids})
    if ids and len(ids) <= BACKGROUND_LIMIT:
        dispatch(reembed_organisations, ids)


def organisation_page(sender, organisation, **kwargs) -> dict:
    """The stored recommendations of the organisation whose page is shown (never computed while it renders)."""
    from silkbridge.matching.services import cached_matches

    return {"recommendations": cached_matches(organisation)}
