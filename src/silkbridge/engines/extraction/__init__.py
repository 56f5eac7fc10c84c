"""News extraction engine: article text (or HTML) in, organisations, people, places, money, counts, dates and events out.

Pure Python over spaCy and rules; no Django. ``extract(Article(text=...))`` is the whole API.
"""
from .extract import extract
from .model import (
    EVENT_TYPES,
    Amount,
    Article,
    Count,
    DateMention,
    Event,
    Extraction,
    Gazetteer,
    GazetteerEntry,
    Organization,
    Person,
    Place,
    Span,
)

__all__ = [
    "EVENT_TYPES", "Amount", "Article", "Count", "DateMention", "Event", "Extraction", "Gazetteer", "GazetteerEntry",
    "Organization", "Person", "Place", "Span", "extract", "to_json",
]


def to_json(result: Extraction) -> dict:
    """The machine-readable summary printed by ``silkbridge news extract --json``."""
    return {
        "title": result.title,
        "published": result.published.isoformat() if result.published else None,
        "language": result.language,
        "organizations": [{"name": o.name, "aliases": list(o.aliases)} for o in result.organizations],
        "people": [{"name": p.name, "title": p.title, "affiliation": p.affiliation} for p in result.people],
        "places": [{"name": p.name, "country": p.country} for p in result.places],
        "amounts": [{"value": float(a.value) if a.value != int(a.value) else int(a.value), "currency": a.currency, "text": a.text}
                    for a in result.amounts],
        "counts": [{"value": c.value, "what": c.what} for c in result.counts],
        "events": [{"type": e.type, "date": e.date, "place": e.place, "parties": list(e.parties), "text": e.text}
                   for e in result.events],
    }
