"""Value types of the extraction engine: what goes in (an article) and what comes out (entities and facts with spans)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

EventType = Literal[
    "forum", "visit", "meeting", "agreement", "mou", "investment",
    "sister_city", "business_centre", "trade_agreement", "exhibition",
]
EVENT_TYPES: tuple[str, ...] = (
    "forum", "visit", "meeting", "agreement", "mou", "investment",
    "sister_city", "business_centre", "trade_agreement", "exhibition",
)
EntityKind = Literal["organization", "person", "place"]


@dataclass(frozen=True)
class Span:
    """Character offsets into ``Extraction.text`` (end exclusive); that is ``Article.text`` itself unless it was HTML."""

    start: int
    end: int


@dataclass(frozen=True)
class Article:
    text: str
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None


@dataclass(frozen=True)
class GazetteerEntry:
    """A known name (in any script) of something the caller already knows about."""

    name: str
    kind: EntityKind
    id: str | None = None
    country: str | None = None
    canonical: str | None = None  # the preferred display name; defaults to ``name``


@dataclass(frozen=True)
class Gazetteer:
    entries: tuple[GazetteerEntry, ...] = ()


@dataclass(frozen=True)
class Organization:
    name: str
    aliases: tuple[str, ...]
    spans: tuple[Span, ...]
    id: str | None = None


@dataclass(frozen=True)
class Person:
    name: str
    title: str | None
    affiliation: str | None
    spans: tuple[Span, ...]
    id: str | None = None


@dataclass(frozen=True)
class Place:
    name: str
    country: str | None  # ISO 3166-1 alpha-2; None for regions spanning countries
    spans: tuple[Span, ...]
    id: str | None = None


@dataclass(frozen=True)
class Amount:
    value: Decimal
    currency: str
    text: str
    span: Span


@dataclass(frozen=True)
class Count:
    value: int
    what: str
    text: str
    span: Span


@dataclass(frozen=True)
class DateMention:
    """A date normalised to an ISO prefix: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""

    value: str
    text: str
    span: Span


@dataclass(frozen=True)
class Event:
    type: str
    date: str | None
    place: str | None
    parties: tuple[str, ...]
    text: str  # the sentence the event was read from
    span: Span


@dataclass(frozen=True)
class Extraction:
    title: str | None
    published: dt.date | None
    language: str
    text: str  # the cleaned body all spans point into
    organizations: tuple[Organization, ...] = ()
    people: tuple[Person, ...] = ()
    places: tuple[Place, ...] = ()
    amounts: tuple[Amount, ...] = ()
    counts: tuple[Count, ...] = ()
    dates: tuple[DateMention, ...] = ()
    events: tuple[Event, ...] = ()
    warnings: tuple[str, ...] = field(default=())
