"""The news write path: ingesting articles with their candidate facts, and a reviewer accepting or rejecting them.

`silkbridge news ingest`, the review pages, the JSON API and the demo all go through here.
Ingesting only proposes: outcome records and new directory entries are made by
`accept_candidate`, which a person calls.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from silkbridge.directory.reference import find_country
from silkbridge.engines import extraction as X
from silkbridge.news.linking import Link, Linker
from silkbridge.news.models import Article, Candidate
from silkbridge.news.reading import Incoming, read_path

Progress = Callable[[int, int], None]
# Events that an outcome record can hold, and the candidate kind each becomes.
FACT_OF_EVENT = {
    "agreement": Candidate.Kind.AGREEMENT, "mou": Candidate.Kind.AGREEMENT, "trade_agreement": Candidate.Kind.AGREEMENT,
    "investment": Candidate.Kind.INVESTMENT, "sister_city": Candidate.Kind.SISTER_CITY, "visit": Candidate.Kind.VISIT,
}
AGREEMENT_KIND_OF_EVENT = {"agreement": "cooperation", "mou": "mou", "trade_agreement": "government"}


# ---------------------------------------------------------------------------------------------
# Ingesting


def text_hash(text: str) -> str:
    """The same text however it was cased, spaced or Unicode-composed gives the same hash."""
    normal = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def normalise_url(url: str) -> str:
    url = url.strip()
    return url.split("#", 1)[0] if url else ""


@dataclass
class IngestReport:
    new: int = 0
    duplicates: int = 0
    candidates: int = 0
    articles: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"new": self.new, "duplicates": self.duplicates, "candidates": self.candidates,
                "articles": self.articles, "errors": self.errors}


def find_duplicate(item: Incoming) -> Article | None:
    url = normalise_url(item.url)
    if url:
        found = Article.objects.filter(url=url).first()
        if found is not None:
            return found
    return Article.objects.filter(text_hash=text_hash(item.text)).first()


def ingest(items: Iterable[Incoming], *, linker: Linker | None = None, progress: Progress | None = None,
           total: int = 0, report: IngestReport | None = None) -> IngestReport:
    """Store each new article with its candidates; articles already stored (same URL or text) are counted, not stored."""
    report = report or IngestReport()
    gazetteer = None
    done = 0
    for item in items:
        done += 1
        if not item.text.strip():
            report.errors.append(f"{item.source or item.url or item.title}: no article text")
            continue
        duplicate = find_duplicate(item)
        if duplicate is not None:
            report.duplicates += 1
            report.articles.append({"id": duplicate.pk, "title": duplicate.title, "status": "duplicate",
                                    "source": item.source, "candidates": 0})
        else:
            if linker is None:
                linker = Linker.from_directory()
            if gazetteer is None:
                gazetteer = linker.gazetteer()
            article, count = ingest_article(item, linker=linker, gazetteer=gazetteer)
            report.new += 1
            report.candidates += count
            report.articles.append({"id": article.pk, "title": article.title, "status": "new", "source": item.source,
                                    "candidates": count})
        if progress:
            progress(done, total)
    return report


def ingest_path(path: str | Path, *, progress: Progress | None = None) -> IngestReport:
    """`silkbridge news ingest PATH`: every article in a file or folder (text, HTML, RSS or Atom)."""
    report = IngestReport()
    items: list[Incoming] = []
    for file, result in read_path(path):
        if isinstance(result, Exception):
            report.errors.append(f"{file}: {result}")
        else:
            items.extend(result)
    return ingest(items, progress=progress, total=len(items), report=report)


@transaction.atomic
def ingest_article(item: Incoming, *, linker: Linker, gazetteer: X.Gazetteer | None = None) -> tuple[Article, int]:
    """Extract, link and store one article that is not stored yet; returns it and its number of candidates."""
    if gazetteer is not None:
        # The engine tries every entry against the text; only names the text contains can match,
        # and a plain substring test keeps a large directory from costing seconds per article.
        gazetteer = X.Gazetteer(tuple(e for e in gazetteer.entries if e.name in item.text))
    result = X.extract(X.Article(text=item.text, title=item.title or None, url=item.url or None,
                                 published=item.published), gazetteer=gazetteer)
    article = Article.objects.create(
        title=(item.title or result.title or "")[:500], url=normalise_url(item.url)[:1000],
        published=item.published or result.published, language=result.language, text=result.text,
        raw_html=item.raw_html, text_hash=text_hash(item.text), source=item.source[:1000],
    )
    candidates = candidates_of(result, linker)
    for c in candidates:
        c.article = article
    Candidate.objects.bulk_create(candidates)
    return article, len(candidates)


# ---------------------------------------------------------------------------------------------
# From an extraction to candidates


# A sentence ends at a full stop followed by a capital (so "d.o.o. and" does not end one), or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“«(]?[A-ZÀ-ÝА-ЯЂЈЉЊЋЏ0-9\u4e00-\u9fff])|(?<=[。！？])|\n+")


def sentence_range(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of the sentence (or line) around a span, white space trimmed."""
    left = max((m.end() for m in _SENTENCE_END.finditer(text) if m.end() <= start), default=0)
    right = next((m.start() for m in _SENTENCE_END.finditer(text) if m.start() >= end), len(text))
    right = max(right, end)
    while left < start and text[left].isspace():
        left += 1
    while right > end and text[right - 1].isspace():
        right -= 1
    return left, right


def sentence_at(text: str, start: int, end: int) -> str:
    """The sentence around a span, for the reviewer and the record's source excerpt."""
    a, b = sentence_range(text, start, end)
    return text[a:b]


def _link_payload(link: Link | None) -> dict | None:
    if link is None:
        return None
    return {"kind": link.kind, "id": link.id, "label": link.label, "confidence": link.confidence, "how": link.how}


def _id_of(ident: str | None, prefix: str) -> int | None:
    if ident and ident.startswith(prefix + ":") and ident[len(prefix) + 1:].isdigit():
        return int(ident[len(prefix) + 1:])
    return None


def _inside(spans: Iterable[X.Span], a: int, b: int) -> bool:
    return any(a <= s.start and s.end <= b for s in spans)


def _is_country(name: str) -> bool:
    return find_country(name) is not None


def _resolve(linker_call, surface: str, others: Iterable[str], canonical: str, ident: str | None, prefix: str):
    """Resolve a name as the article wrote it first; the engine's directory name and id only when that fails."""
    link = linker_call([surface, *others])
    if link is None and canonical not in (surface, *others):
        link = linker_call([canonical])
    if link is None and _id_of(ident, prefix) is not None:
        link = Link(prefix if prefix != "org" else "organisation", _id_of(ident, prefix), canonical, 0.9,
                    "directory name found in the text")
    return link


def candidates_of(result: X.Extraction, linker: Linker) -> list[Candidate]:
    """Unsaved candidates for every entity and every fact an outcome record can hold."""
    text = result.text
    out: list[Candidate] = []
    written: dict[str, str] = {}  # the engine's name -> as the article first wrote it
    org_links: dict[str, Link | None] = {}
    for o in result.organizations:
        first = o.spans[0]
        surface = text[first.start:first.end].strip() or o.name
        written[o.name] = surface
        link = _resolve(lambda names: linker.organisation(names[0], names[1:]), surface, o.aliases, o.name, o.id, "org")
        org_links[o.name] = link
        out.append(Candidate(
            kind=Candidate.Kind.ORGANISATION, start=first.start, end=first.end,
            sentence=sentence_at(text, first.start, first.end),
            payload={"name": surface, "directory_name": o.name if o.name != surface else "", "aliases": list(o.aliases),
                     "spans": [[s.start, s.end] for s in o.spans], "link": _link_payload(link), "country": "",
                     "org_kind": "company"},
            organisation_id=link.id if link else None, confidence=link.confidence if link else None))
    for p in result.people:
        first = p.spans[0]
        surface = text[first.start:first.end].strip() or p.name
        written[p.name] = surface
        link = _resolve(lambda names: linker.people.resolve(names), surface, (), p.name, p.id, "person")
        out.append(Candidate(
            kind=Candidate.Kind.PERSON, start=first.start, end=first.end,
            sentence=sentence_at(text, first.start, first.end),
            payload={"name": surface, "directory_name": p.name if p.name != surface else "", "title": p.title or "",
                     "organisation": written.get(p.affiliation or "", p.affiliation or ""),
                     "spans": [[s.start, s.end] for s in p.spans], "link": _link_payload(link)},
            person_id=link.id if link else None, confidence=link.confidence if link else None))
    cities: list[tuple[X.Place, str, Link | None]] = []
    for place in result.places:
        first = place.spans[0]
        surface = text[first.start:first.end].strip() or place.name
        link = _resolve(lambda names, place=place: linker.cities.resolve(names, country=place.country), surface, (), place.name,
                        place.id, "city")
        # Countries and regions are not cities; a place with no country cannot be proposed as a new city.
        if link is None and (place.country is None or _is_country(place.name)):
            continue
        cities.append((place, surface, link))
        out.append(Candidate(
            kind=Candidate.Kind.CITY, start=first.start, end=first.end,
            sentence=sentence_at(text, first.start, first.end),
            payload={"name": surface, "directory_name": place.name if place.name != surface else "",
                     "country": place.country or "", "spans": [[s.start, s.end] for s in place.spans],
                     "link": _link_payload(link)},
            city_id=link.id if link else None, confidence=link.confidence if link else None))
    for event in result.events:
        kind = FACT_OF_EVENT.get(event.type)
        if kind is None:
            continue
        # The whole sentence, in case the engine's span starts inside it ("… d.o.o. and …").
        a, b = sentence_range(text, event.span.start, event.span.end)
        orgs = [written[o.name] for o in result.organizations if _inside(o.spans, a, b)]
        orgs += [written[p] for p in event.parties if p in written and p in org_links and written[p] not in orgs]
        people = [written[p.name] for p in result.people if _inside(p.spans, a, b) and written[p.name] not in orgs]
        places = [(p, surface) for p, surface, _link in cities if _inside(p.spans, a, b)]
        amount = next((m for m in result.amounts if a <= m.span.start and m.span.end <= b), None)
        city = next((surface for p, surface in places if p.name == event.place), places[0][1] if places else "")
        payload = {
            "event": event.type, "title": _title(kind, event, orgs, people, city, [surface for _p, surface in places]),
            "date": event.date or "",
            "place": event.place or "", "city": city, "organisations": orgs, "people": people,
            "cities": [surface for _p, surface in places], "amount": str(amount.value) if amount else "",
            "currency": amount.currency if amount else "", "agreement_kind": AGREEMENT_KIND_OF_EVENT.get(event.type, ""),
            "country": next((p.country for p, surface in places if surface == city), "") or "",
        }
        out.append(Candidate(kind=kind, start=a, end=b, sentence=text[a:b].strip(), payload=payload))
    return out


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _title(kind: str, event: X.Event, orgs: list[str], people: list[str], city: str, cities: list[str]) -> str:
    """A plain suggestion the reviewer can change: what happened and between whom."""
    names = orgs or people
    where = f" in {city}" if city else ""
    if kind == Candidate.Kind.AGREEMENT:
        label = {"mou": "Memorandum of understanding", "trade_agreement": "Trade agreement"}.get(event.type, "Agreement")
        if len(names) > 1:
            return f"{label} between {_joined(names)}"
        return f"{label} of {names[0]}" if names else label
    if kind == Candidate.Kind.INVESTMENT:
        return f"{names[0]} investment{where}" if names else f"Investment{where}"
    if kind == Candidate.Kind.VISIT:
        return f"Delegation of {names[0]}" if names else "Delegation"
    return " – ".join(cities)


# ---------------------------------------------------------------------------------------------
# Review


def _reviewable(candidate: Candidate) -> Candidate:
    locked = Candidate.objects.select_for_update().select_related("article").get(pk=candidate.pk)
    if locked.status != Candidate.Status.PROPOSED:
        raise ValidationError(f"this candidate was already reviewed ({locked.get_status_display()})")
    return locked


@transaction.atomic
def reject_candidate(candidate: Candidate, *, by=None) -> Candidate:
    """Mark a candidate rejected; nothing else changes."""
    locked = _reviewable(candidate)
    locked.status = Candidate.Status.REJECTED
    locked.reviewed_by = by if getattr(by, "is_authenticated", False) else None
    locked.reviewed_at = timezone.now()
    locked.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    return locked


@transaction.atomic
def accept_candidate(candidate: Candidate, *, by=None, changes: dict | None = None, linker: Linker | None = None):
    """Confirm a candidate, as read or with the reviewer's `changes`, and return what it became.

    A fact becomes an outcome record (agreement, investment project, city partnership or visit)
    whose source is the article and the span; an organisation, person or city is linked to the
    directory record it names, or created there when the directory has none. Raises
    ValidationError, keyed by payload field where it can be, when the data is not enough.
    """
    locked = _reviewable(candidate)
    data = dict(locked.payload)
    edited = {}
    for key, value in (changes or {}).items():
        if (data.get(key) or "") != (value or ""):  # an empty field left empty is no edit
            edited[key] = data.get(key)
            data[key] = value
    linker = linker or Linker.from_directory()
    if locked.kind in Candidate.FACT_KINDS:
        record = _save_fact(locked, data, linker, by)
        locked.record_kind, locked.record_id = locked.kind, record.pk
    else:
        record = _save_entity(locked, data, linker)
        locked.record_kind, locked.record_id = locked.kind, record.pk
    if edited:
        data["as_read"] = {**locked.payload.get("as_read", {}), **edited}
    locked.payload = data
    locked.status = Candidate.Status.EDITED if edited else Candidate.Status.ACCEPTED
    locked.reviewed_by = by if getattr(by, "is_authenticated", False) else None
    locked.reviewed_at = timezone.now()
    locked.save()
    return record


def _required(data: dict, key: str, message: str) -> str:
    value = str(data.get(key) or "").strip()
    if not value:
        raise ValidationError({key: message})
    return value


def _country_code(value: str, key: str = "country") -> str:
    from silkbridge.directory.models import Country

    found = find_country(value) if value.strip() else None
    if found is None or not Country.objects.filter(code=found["code"]).exists():
        raise ValidationError({key: f"unknown country {value!r}; give its ISO code, such as RS or CN"})
    return found["code"]


def _save_entity(candidate: Candidate, data: dict, linker: Linker):
    from silkbridge.directory import services as directory
    from silkbridge.directory.models import City, Organisation, Person

    name = _required(data, "name", "a name is needed")
    if candidate.kind == Candidate.Kind.ORGANISATION:
        link = linker.organisation(name, data.get("aliases") or ())
        org_id = link.id if link else (candidate.organisation_id if name == candidate.payload.get("name") else None)
        if org_id is None:
            country = _country_code(_required(data, "country", "the country is needed to add an organisation"))
            row = {"name": name, "country": country, "kind": data.get("org_kind") or "company"}
            record, errors = directory.validate_row(row, directory.Lookups())
            if errors:
                raise ValidationError({("org_kind" if e.field == "kind" else e.field): e.error for e in errors})
            directory.upsert([(0, record)])
            org_id = Organisation.objects.get(external_id=record.external_id).pk
        candidate.organisation_id = org_id
        return Organisation.objects.get(pk=org_id)
    if candidate.kind == Candidate.Kind.CITY:
        country = data.get("country") or ""
        link = linker.city(name, _country_code(country) if country else None)
        city_id = link.id if link else None
        if city_id is None:
            code = _country_code(_required(data, "country", "the country is needed to add a city"))
            city_id = directory.Lookups().city_id(code, name, create=True)
        candidate.city_id = city_id
        return City.objects.get(pk=city_id)
    link = linker.person(name)
    if link is not None:
        candidate.person_id = link.id
        return Person.objects.get(pk=link.id)
    org_name = _required(data, "organisation", "a person is added to the directory with their organisation")
    org_link = linker.organisation(org_name)
    if org_link is None:
        raise ValidationError({"organisation": f"{org_name!r} is not in the directory"})
    org = Organisation.objects.get(pk=org_link.id)
    directory.save_organisation_details(org, people=[{"name": name, "title": data.get("title") or ""}])
    person = Person.objects.get(organisation=org, name=name)
    candidate.person_id = person.pk
    return person


def _names(data: dict, key: str) -> list[str]:
    value = data.get(key) or []
    if isinstance(value, str):
        value = value.splitlines()
    return [v.strip() for v in value if v and v.strip()]


def _organisation_ids(data: dict, linker: Linker) -> list[int]:
    ids, unknown = [], []
    for name in _names(data, "organisations"):
        link = linker.organisation(name)
        if link is None:
            unknown.append(name)
        elif link.id not in ids:
            ids.append(link.id)
    if unknown:
        raise ValidationError({"organisations": "not in the directory: " + "; ".join(unknown)
                               + " (accept or correct the organisation, or remove the name)"})
    return ids


def _city_id(data: dict, linker: Linker, key: str = "city") -> int | None:
    name = str(data.get(key) or "").strip()
    if not name:
        return None
    link = linker.city(name)
    if link is None:
        raise ValidationError({key: f"{name!r} is not a city in the directory, or names more than one"})
    return link.id


def parse_date(value, key: str = "date") -> tuple[dt.date | None, str]:
    """A date as read ("2025", "2025-06", "2025-06-03") -> (first day it can be, "year" / "month" / "day")."""
    if isinstance(value, dt.date):
        return value, "day"
    text = str(value or "").strip()
    if not text:
        return None, "day"
    try:
        if re.fullmatch(r"\d{4}", text):
            return dt.date(int(text), 1, 1), "year"
        if re.fullmatch(r"\d{4}-\d{2}", text):
            return dt.date(int(text[:4]), int(text[5:7]), 1), "month"
        return dt.date.fromisoformat(text), "day"
    except ValueError:
        raise ValidationError({key: f"{text!r} is not a date; write 2025-06-03, 2025-06 or 2025"}) from None


def _amount(data: dict) -> tuple[Decimal | None, str]:
    text = str(data.get("amount") or "").strip()
    if not text:
        return None, ""
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise ValidationError({"amount": f"{text!r} is not a number"}) from None
    return value, _required(data, "currency", "the currency of the amount is needed").upper()


def _save_fact(candidate: Candidate, data: dict, linker: Linker, by):
    from silkbridge.directory.models import City, Organisation
    from silkbridge.outcomes import services as outcomes
    from silkbridge.outcomes.models import Agreement, CityRelation, EntryMethod, Investment, Party, Visit

    article = candidate.article
    source = {"source_url": article.url, "source_title": article.title[:500], "source_excerpt": candidate.sentence,
              "source_article_id": article.pk, "source_span": {"start": candidate.start, "end": candidate.end}}
    kind = candidate.kind
    if kind == Candidate.Kind.SISTER_CITY:
        names = _names(data, "cities")
        if len(names) != 2:
            raise ValidationError({"cities": "a partnership joins exactly two cities"})
        ids = [_city_id({"cities": n}, linker, "cities") for n in names]
        if ids[0] == ids[1]:
            raise ValidationError({"cities": "a city cannot be partnered with itself"})
        since, _precision = parse_date(data.get("date"))
        a, b = sorted(ids)
        record = CityRelation(city_a_id=a, city_b_id=b, kind=data.get("relation_kind") or CityRelation.Kind.SISTER,
                              since=since.year if since else None, **source)
        return outcomes.save_record(record, by=by, method=EntryMethod.NEWS)
    org_ids = _organisation_ids(data, linker)
    city_id = _city_id(data, linker)
    on, precision = parse_date(data.get("date"))
    if kind == Candidate.Kind.AGREEMENT:
        amount, currency = _amount(data)
        record = Agreement(kind=data.get("agreement_kind") or Agreement.Kind.COOPERATION,
                           title=_required(data, "title", "a title is needed"), signed_on=on if precision == "day" else None,
                           place=str(data.get("place") or ""), city_id=city_id, amount=amount, currency=currency,
                           status=Agreement.Status.SIGNED, description=candidate.sentence, **source)
        parties = [outcomes.PartyRef(role=Party.Role.SIGNATORY, organisation_id=i) for i in org_ids]
        return outcomes.save_record(record, parties=parties, by=by, method=EntryMethod.NEWS)
    if kind == Candidate.Kind.INVESTMENT:
        amount, currency = _amount(data)
        country = data.get("country") or ""
        if not country and city_id:
            country = City.objects.get(pk=city_id).country_id
        record = Investment(title=_required(data, "title", "a title is needed"), signed_on=on,
                            date_precision=precision, status=Investment.Status.ANNOUNCED,
                            country_id=_country_code(country) if country else None, city_id=city_id,
                            amount=amount, currency=currency, description=candidate.sentence, **source)
        parties = [outcomes.PartyRef(role=Party.Role.INVESTOR if n == 0 else Party.Role.PARTNER, organisation_id=i)
                   for n, i in enumerate(org_ids)]
        return outcomes.save_record(record, parties=parties, by=by, method=EntryMethod.NEWS)
    # A visit: the first organisation sent the delegation, the others received it.
    if on is None:
        raise ValidationError({"date": "the first day of the visit is needed"})
    ends_on, _p = parse_date(data.get("end_date"), "end_date")
    sender = Organisation.objects.filter(pk=org_ids[0]).first() if org_ids else None
    to_city = City.objects.get(pk=city_id) if city_id else None
    people = _names(data, "people")
    record = Visit(delegation=_required(data, "title", "the delegation needs a name"),
                   head=str(data.get("head") or (people[0] if people else ""))[:200],
                   organisation=sender, from_country_id=sender.country_id if sender else None,
                   from_city_id=sender.city_id if sender else None,
                   to_city=to_city, to_country_id=to_city.country_id if to_city else None,
                   starts_on=on, ends_on=ends_on, purpose=candidate.sentence, **source)
    return outcomes.save_record(record, met=org_ids[1:], by=by, method=EntryMethod.NEWS)


# ---------------------------------------------------------------------------------------------
# Reading back


def pending_counts():
    """Articles with their numbers of candidates, pending and in all, for the review queue."""
    from django.db.models import Count, Q

    return Article.objects.annotate(
        pending=Count("candidates", filter=Q(candidates__status=Candidate.Status.PROPOSED)),
        total=Count("candidates"),
    )
