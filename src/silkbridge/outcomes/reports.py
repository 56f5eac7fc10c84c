"""Reports over outcome records: one forum's results, and the whole programme by year, country and sector.

Pure read functions: querysets in, frozen dataclasses out (`as_dict()` gives the JSON the CLI
and the API print). Money totals are sums of the conversions stored with each record.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from silkbridge.directory.models import Country, Sector
from silkbridge.outcomes.models import Agreement, CityRelation, Investment, Party, Visit

ZERO = Decimal("0.00")
UNDATED = "undated"


@dataclass(frozen=True)
class Totals:
    """Investment amounts summed in each currency; `unconverted` projects have an amount but no conversion."""

    usd: Decimal = ZERO
    cny: Decimal = ZERO
    eur: Decimal = ZERO
    with_amount: int = 0
    unconverted: int = 0
    without_amount: int = 0


@dataclass(frozen=True)
class Row:
    """Counts for one year, country or sector."""

    key: str
    label: str
    agreements: int = 0
    mous: int = 0
    investments: int = 0
    usd: Decimal = ZERO
    relations: int = 0
    visits: int = 0


@dataclass(frozen=True)
class Node:
    key: str
    label: str
    kind: str  # organisation, city or government
    country: str


@dataclass(frozen=True)
class Edge:
    a: str
    b: str
    records: int


@dataclass(frozen=True)
class Report:
    title: str
    scope: dict
    agreements: int
    mous: int
    agreements_by_kind: dict[str, int]
    investments: int
    investments_by_status: dict[str, int]
    relations: int
    relations_undated: int
    visits: int
    totals: Totals
    by_year: tuple[Row, ...]
    by_country: tuple[Row, ...]
    by_sector: tuple[Row, ...]
    relations_by_country: tuple[Row, ...]
    nodes: tuple[Node, ...] = field(default=())
    edges: tuple[Edge, ...] = field(default=())

    def as_dict(self) -> dict:
        def plain(value):
            if isinstance(value, Decimal):
                return str(value)
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, (list, tuple)):
                return [plain(v) for v in value]
            return value

        data = plain(asdict(self))
        # The graph is for charts; the JSON report stays a summary.
        data["network"] = {"nodes": len(self.nodes), "edges": len(self.edges)}
        del data["nodes"], data["edges"]
        return data


@dataclass
class _Acc:
    agreements: int = 0
    mous: int = 0
    investments: int = 0
    usd: Decimal = ZERO
    relations: int = 0
    visits: int = 0


def _rows(accs: dict[str, _Acc], labels: dict[str, str], *, order: str) -> tuple[Row, ...]:
    rows = [Row(key=k, label=labels.get(k, k), **asdict(a)) for k, a in accs.items()]
    if order == "key":
        rows.sort(key=lambda r: (r.key == UNDATED, r.key))
    else:
        rows.sort(key=lambda r: (-r.usd, -(r.agreements + r.investments + r.relations + r.visits), r.label))
    return tuple(rows)


def _year(day) -> str:
    return str(day.year) if day else UNDATED


def build(title: str, scope: dict, agreements: QuerySet, investments: QuerySet, relations: QuerySet,
          visits: QuerySet) -> Report:
    """A report over the given records (already filtered to a forum or to years)."""
    agreements = list(agreements.prefetch_related("parties__organisation", "parties__city", "parties__country"))
    investments = list(investments.select_related("sector", "country")
                       .prefetch_related("parties__organisation", "parties__city", "parties__country"))
    relations = list(relations.select_related("city_a__country", "city_b__country"))
    visits = list(visits)
    countries = dict(Country.objects.values_list("code", "name_en"))
    sectors = dict(Sector.objects.values_list("code", "name_en"))
    by_year: dict[str, _Acc] = defaultdict(_Acc)
    by_country: dict[str, _Acc] = defaultdict(_Acc)
    by_sector: dict[str, _Acc] = defaultdict(_Acc)
    rel_country: dict[str, _Acc] = defaultdict(_Acc)
    nodes: dict[str, Node] = {}
    edges: Counter[tuple[str, str]] = Counter()

    def party_node(p: Party) -> Node:
        key, kind = p.node
        entity = p.entity
        country = p.organisation.country_id if p.organisation_id else (p.city.country_id if p.city_id else p.country_id)
        return nodes.setdefault(key, Node(key, str(entity), kind, country))

    def link(keys: list[str]) -> None:
        keys = sorted(set(keys))
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                edges[(a, b)] += 1

    for a in agreements:
        is_mou = a.kind == Agreement.Kind.MOU
        acc = by_year[_year(a.signed_on)]
        acc.agreements += 1
        acc.mous += is_mou
        parties = [party_node(p) for p in a.parties.all()]
        for code in sorted({n.country for n in parties if n.country}):
            by_country[code].agreements += 1
            by_country[code].mous += is_mou
        link([n.key for n in parties])

    usd = cny = eur = ZERO
    with_amount = unconverted = 0
    for inv in investments:
        amount_usd = inv.amount_usd or ZERO
        for acc in (by_year[_year(inv.signed_on)], by_country[inv.country_id or UNDATED],
                    by_sector[inv.sector_id or UNDATED]):
            acc.investments += 1
            acc.usd += amount_usd
        if inv.amount is not None:
            with_amount += 1
            if inv.amount_usd is None:
                unconverted += 1
            else:
                usd, cny, eur = usd + inv.amount_usd, cny + inv.amount_cny, eur + inv.amount_eur
        link([party_node(p).key for p in inv.parties.all()])

    for r in relations:
        by_year[str(r.since) if r.since else UNDATED].relations += 1
        pair = {r.city_a.country_id, r.city_b.country_id}
        # Count a China–Europe pair under the European country: that is what differs between rows.
        for code in sorted(pair - {"CN"} or pair):
            rel_country[code].relations += 1
            by_country[code].relations += 1
        for city in (r.city_a, r.city_b):
            nodes.setdefault(f"city:{city.pk}", Node(f"city:{city.pk}", city.name_en, "city", city.country_id))
        link([f"city:{r.city_a_id}", f"city:{r.city_b_id}"])

    for v in visits:
        by_year[_year(v.starts_on)].visits += 1
        for code in sorted({c for c in (v.from_country_id, v.to_country_id) if c}):
            by_country[code].visits += 1

    sector_labels = {code: f"{code} {name}" for code, name in sectors.items()} | {UNDATED: "not classified"}
    return Report(
        title=title, scope=scope,
        agreements=len(agreements), mous=sum(a.kind == Agreement.Kind.MOU for a in agreements),
        agreements_by_kind={k: n for k, n in sorted(Counter(a.kind for a in agreements).items())},
        investments=len(investments),
        investments_by_status={k: n for k, n in sorted(Counter(i.status for i in investments).items())},
        relations=len(relations), relations_undated=sum(r.since is None for r in relations), visits=len(visits),
        totals=Totals(usd=usd, cny=cny, eur=eur, with_amount=with_amount, unconverted=unconverted,
                      without_amount=len(investments) - with_amount),
        by_year=_rows(by_year, {}, order="key"),
        by_country=_rows(by_country, countries | {UNDATED: "not given"}, order="size"),
        by_sector=_rows(by_sector, sector_labels, order="size"),
        relations_by_country=_rows(rel_country, countries, order="size"),
        nodes=tuple(sorted(nodes.values(), key=lambda n: n.key)),
        edges=tuple(Edge(a, b, n) for (a, b), n in sorted(edges.items())),
    )


def forum_report(forum) -> Report:
    """What came out of one forum: every record linked to it."""
    scope = {"forum": forum.slug, "name": forum.name, "starts_on": forum.starts_on.isoformat()}
    return build(gettext("Outcomes of %(name)s") % {"name": forum.name}, scope,
                 Agreement.objects.filter(forum=forum), Investment.objects.filter(forum=forum),
                 CityRelation.objects.filter(forum=forum), Visit.objects.filter(forum=forum))


def _years(field_name: str, from_year: int | None, to_year: int | None) -> Q:
    q = Q()
    if from_year is not None:
        q &= Q(**{f"{field_name}__year__gte": from_year})
    if to_year is not None:
        q &= Q(**{f"{field_name}__year__lte": to_year})
    return q


def programme_report(from_year: int | None = None, to_year: int | None = None) -> Report:
    """The whole programme, optionally limited to the years [from_year, to_year].

    With a year limit, records with no date (and city partnerships with no known start) are
    left out, since they cannot be placed in the period.
    """
    relations = CityRelation.objects.all()
    if from_year is not None:
        relations = relations.filter(since__gte=from_year)
    if to_year is not None:
        relations = relations.filter(since__lte=to_year)
    period = "all years" if from_year is None and to_year is None else f"{from_year or '…'}–{to_year or '…'}"
    return build(f"Cooperation programme, {period}", {"from_year": from_year, "to_year": to_year},
                 Agreement.objects.filter(_years("signed_on", from_year, to_year)),
                 Investment.objects.filter(_years("signed_on", from_year, to_year)),
                 relations, Visit.objects.filter(_years("starts_on", from_year, to_year)))
