"""The outcomes write path: saving records with their money conversions, and importing reference files.

Web forms, the JSON API, the demo and `silkbridge import sister-cities|investments` all store
records through `save_record`, so conversions and provenance are set in one place.
"""
from __future__ import annotations

import calendar
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from silkbridge.directory import reference, tabular
from silkbridge.directory.models import City, Country, Organisation, OrganisationName, Sector
from silkbridge.directory.services import (
    ImportReport,
    Lookups,
    OrgRecord,
    RowError,
    import_limits,
    make_id,
    upsert,
    write_rejects,
)
from silkbridge.engines.money import Money, MoneyError, convert
from silkbridge.engines.script import fold
from silkbridge.outcomes.models import (
    TARGET_CURRENCIES,
    Agreement,
    CityRelation,
    Converted,
    EntryMethod,
    Investment,
    Party,
    Visit,
)

Progress = Callable[[int, int], None]
CENT = Decimal("0.01")

SISTER_CITY_COLUMNS = ("city1", "country1", "city2", "country2", "kind", "since")
INVESTMENT_COLUMNS = ("year", "month", "investor", "usd_millions", "share", "transaction_party", "sector",
                      "subsector", "country", "region", "bri", "greenfield")
CGIT_TITLE = "China Global Investment Tracker (American Enterprise Institute)"
CGIT_URL = "https://www.aei.org/china-global-investment-tracker/"
TWIN_TITLE = "Wikipedia lists of twin towns and sister cities (CC BY-SA)"
TWIN_URL = "https://en.wikipedia.org/wiki/Lists_of_twin_towns_and_sister_cities"
# The tracker's own sectors, mapped to a NACE section or division. Its sectors are broad
# ("Transport" holds road building as well as car plants), so mostly a section is all one can say.
CGIT_SECTORS: dict[str, str | None] = {
    "agriculture": "A", "chemicals": "20", "energy": "D", "entertainment": "R", "finance": "K",
    "health": "Q", "logistics": "52", "metals": "24", "other": None, "real estate": "L",
    "technology": "J", "tourism": "I", "transport": "H", "utilities": "D",
}
_MONTHS = {fold(calendar.month_name[m]): m for m in range(1, 13)} | {fold(calendar.month_abbr[m]): m for m in range(1, 13)}
# Investors are listed comma-separated; commas inside parentheses belong to one name.
_SPLIT_NAMES = re.compile(r",\s*(?![^()]*\))")


@dataclass(frozen=True)
class PartyRef:
    """One side of an agreement or investment, named by directory keys."""

    role: str = Party.Role.SIGNATORY
    organisation_id: int | None = None
    city_id: int | None = None
    country_id: str | None = None


# ---------------------------------------------------------------------------------------------
# Money


def convert_amount(record: Converted, on: date | None) -> None:
    """Fix the amount in USD, CNY and EUR at the rate of `on`, storing each rate, its date and source.

    A currency or date with no published rate leaves the conversions empty and says why;
    nothing is ever converted at a made-up rate.
    """
    record.amount_usd = record.amount_cny = record.amount_eur = None
    record.conversions = {}
    record.conversion_error = ""
    if record.amount is None or not record.currency:
        return
    record.currency = record.currency.strip().upper()
    money = Money(Decimal(record.amount), record.currency)
    results: dict[str, Decimal] = {}
    conversions: dict[str, dict] = {}
    for target in TARGET_CURRENCIES:
        try:
            c = convert(money, target, on)
        except MoneyError as exc:
            record.conversion_error = str(exc)[:300]
            return
        results[target] = c.result.amount.quantize(CENT, rounding=ROUND_HALF_EVEN)
        conversions[target] = {"rate": str(c.rate), "rate_date": c.rate_date.isoformat(), "source": c.source_name}
    record.amount_usd, record.amount_cny, record.amount_eur = results["USD"], results["CNY"], results["EUR"]
    record.conversions = conversions


# ---------------------------------------------------------------------------------------------
# Saving one record


def _canonical_pair(relation: CityRelation) -> None:
    if relation.city_a_id and relation.city_b_id and relation.city_a_id > relation.city_b_id:
        relation.city_a_id, relation.city_b_id = relation.city_b_id, relation.city_a_id


@transaction.atomic
def save_record(record, *, parties: Sequence[PartyRef] | None = None, met: Iterable[int] | None = None,
                by=None, method: str | None = None):
    """Validate and store an agreement, investment, city partnership or visit.

    `parties` (agreements and investments) and `met` (visits: organisation ids) replace what the
    record had when given. Raises django's ValidationError with field messages for bad input.
    """
    if record.pk is None:
        if by is not None and getattr(by, "is_authenticated", False):
            record.entered_by = by
        record.entry_method = method or record.entry_method or EntryMethod.MANUAL
    elif method:
        record.entry_method = method
    if isinstance(record, CityRelation):
        _canonical_pair(record)
    if isinstance(record, Converted):
        convert_amount(record, record.on)
    record.full_clean(exclude=["import_key"], validate_unique=True)
    record.save()
    if parties is not None and isinstance(record, (Agreement, Investment)):
        field = "agreement" if isinstance(record, Agreement) else "investment"
        Party.objects.filter(**{field: record}).delete()
        Party.objects.bulk_create([
            Party(**{field: record}, role=p.role, organisation_id=p.organisation_id, city_id=p.city_id,
                  country_id=p.country_id)
            for p in _unique(parties)
        ])
    if met is not None and isinstance(record, Visit):
        record.met.set(list(met))
    return record


def _unique(parties: Sequence[PartyRef]) -> list[PartyRef]:
    return list(dict.fromkeys(parties))


@transaction.atomic
def delete_record(record) -> None:
    record.delete()


# ---------------------------------------------------------------------------------------------
# Matching names to the directory


class Places:
    """Countries and cities of the directory, indexed by folded name, loaded once per import."""

    def __init__(self) -> None:
        self.cities: dict[tuple[str, str], list[int]] = {}
        self.city_names: dict[int, str] = {}
        for city in City.objects.all():
            self._index(city)
        self.countries = set(Country.objects.values_list("code", flat=True))

    def _index(self, city: City) -> None:
        self.city_names[city.pk] = city.name_en
        for name in (city.name_en, city.name_zh, city.name_local, city.name_local_latn, *(city.aliases or ())):
            if name:
                ids = self.cities.setdefault((city.country_id, reference.name_key(name)), [])
                if city.pk not in ids:
                    ids.append(city.pk)

    def country(self, value: str) -> str | None:
        found = reference.find_country(value) if value.strip() else None
        return found["code"] if found and found["code"] in self.countries else None

    def city(self, country: str, name: str) -> list[int]:
        return self.cities.get((country, reference.name_key(name)), [])

    def create_city(self, country: str, name: str) -> int:
        city, _ = City.objects.get_or_create(country_id=country, key=fold(name.strip()),
                                             defaults={"name_en": name.strip()})
        self._index(city)
        return city.pk


class Organisations:
    """Organisations by folded name (and their other names), for matching investors and targets."""

    def __init__(self) -> None:
        self.by_name: dict[str, int] = {}
        self._lookups: Lookups | None = None
        for pk, name in Organisation.objects.values_list("pk", "name"):
            self.by_name.setdefault(reference.name_key(name), pk)
        for pk, name in OrganisationName.objects.values_list("organisation_id", "name"):
            self.by_name.setdefault(reference.name_key(name), pk)

    def find(self, name: str, country: str | None = None) -> int | None:
        pk = self.by_name.get(reference.name_key(name))
        if pk is None and country:
            # An organisation already holding the id this name would get is taken as the same one, never overwritten.
            pk = Organisation.objects.filter(external_id=make_id(name, country)).values_list("pk", flat=True).first()
        return pk

    def find_or_create(self, name: str, country: str) -> int:
        pk = self.find(name, country)
        if pk is None:
            record = OrgRecord(external_id=make_id(name, country), name=name, kind=Organisation.Kind.COMPANY,
                               country=country)
            # The directory's reference lookups cost a full read of countries, cities and sectors: load them once.
            self._lookups = self._lookups or Lookups()
            _, touched = upsert([(0, record)], lookups=self._lookups)
            pk = touched[0].pk if touched else Organisation.objects.get(external_id=record.external_id).pk
        self.by_name[reference.name_key(name)] = pk
        return pk


# ---------------------------------------------------------------------------------------------
# Sister cities


def _relation_kind(value: str) -> str | None:
    key = fold(value.strip()).replace("-", " ")
    if not key:
        return CityRelation.Kind.SISTER
    key = {"twin": "sister", "twin town": "sister", "sister city": "sister", "partner city": "partner",
           "friendship city": "friendship", "friendly": "friendship"}.get(key, key)
    return key if key in CityRelation.Kind.values else None


def import_sister_cities(path: str | Path, *, dry_run: bool = False, progress: Progress | None = None,
                         rejects: str | Path | None = None) -> ImportReport:
    """City pairs (city1, country1, city2, country2[, kind, since]); one relation per unordered pair and kind.

    Cities are matched within their country by any name or alias; a city the directory does
    not know is added. A name that fits two cities of one country is rejected, not guessed.
    A pair listed again (from the other side) counts as unchanged unless its year contradicts.
    """
    table = tabular.read_table(path, required=("city1", "country1", "city2", "country2"), limits=import_limits())
    report = ImportReport(dry_run=dry_run, unknown_columns=[c for c in table.header if c and c not in SISTER_CITY_COLUMNS])
    places = Places()
    seen: dict[tuple, int] = {}
    total = len(table.rows)
    with transaction.atomic():
        for done, (number, row) in enumerate(table.rows, start=1):
            error = _import_pair(number, row, places, seen, report, dry_run)
            if error:
                report.rejected.append(error)
            if progress and (done % 50 == 0 or done == total):
                progress(done, total)
        if dry_run:
            transaction.set_rollback(True)
    if rejects is not None:
        write_rejects(rejects, table, report)
    return report


def _import_pair(number: int, row: dict[str, str], places: Places, seen: dict, report: ImportReport,
                 dry_run: bool) -> RowError | None:
    get = lambda key: (row.get(key) or "").strip()  # noqa: E731
    ident = f"{get('city1')} – {get('city2')}"
    ends: list[int | str] = []
    for side in ("1", "2"):
        city, country_name = get(f"city{side}"), get(f"country{side}")
        if not city:
            return RowError(number, ident, f"city{side}", "missing city")
        country = places.country(country_name)
        if country is None:
            return RowError(number, ident, f"country{side}", f"unknown country {country_name!r}")
        ids = places.city(country, city)
        if len(ids) > 1:
            names = " or ".join(sorted(places.city_names[i] for i in ids))
            return RowError(number, ident, f"city{side}",
                            f"{city!r} names more than one city in {country}: {names}; write the one meant")
        # In a dry run an unknown city is not created; its name stands in for the id.
        ends.append(ids[0] if ids else (f"new:{country}:{fold(city)}" if dry_run else places.create_city(country, city)))
    if ends[0] == ends[1]:
        return RowError(number, ident, "city2", "a city cannot be partnered with itself")
    kind = _relation_kind(get("kind"))
    if kind is None:
        return RowError(number, ident, "kind", f"unknown kind {get('kind')!r}; use sister, partner or friendship")
    since = None
    if get("since"):
        if not re.fullmatch(r"\d{4}", get("since")) or not 1900 <= int(get("since")) <= date.today().year:
            return RowError(number, ident, "since", f"since must be a year, not {get('since')!r}")
        since = int(get("since"))
    pair = (*sorted(ends, key=str), kind)
    if pair in seen:
        first, first_since = seen[pair]
        if since is not None and first_since is not None and since != first_since:
            return RowError(number, ident, "since", f"the same pair as row {first} but since {since}, not {first_since}")
        # Lists of twin towns name a pair once from each side: the second mention adds nothing.
        report.imported += 1
        report.unchanged += 1
        return None
    seen[pair] = (number, since)
    report.imported += 1
    if any(isinstance(e, str) for e in ends):
        report.created += 1
        return None
    a, b = sorted(ends)
    existing = CityRelation.objects.filter(city_a_id=a, city_b_id=b, kind=kind).first()
    if existing is None:
        report.created += 1
        if not dry_run:
            save_record(CityRelation(city_a_id=a, city_b_id=b, kind=kind, since=since, source_url=TWIN_URL,
                                     source_title=TWIN_TITLE), method=EntryMethod.IMPORT)
    elif since is not None and existing.since != since:
        report.updated += 1
        existing.since = since
        if not dry_run:
            save_record(existing)
    else:
        report.unchanged += 1
    return None


# ---------------------------------------------------------------------------------------------
# Investments


@dataclass(frozen=True)
class InvestmentRow:
    """One validated row of an investment tracker file."""

    key: str
    title: str
    signed_on: date
    investors: tuple[str, ...]
    target: str
    country: str
    amount: Decimal
    share: Decimal | None
    sector: str | None
    sector_text: str
    belt_and_road: bool
    greenfield: bool


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", "").replace("$", "").replace("%", "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def validate_investment(number: int, row: dict[str, str], places: Places) -> tuple[InvestmentRow | None, RowError | None]:
    get = lambda key: (row.get(key) or "").strip()  # noqa: E731
    investors = tuple(n.strip() for n in _SPLIT_NAMES.split(get("investor")) if n.strip())
    ident = f"{get('year')} {get('investor')}"[:100]

    def fail(field: str, message: str):
        return None, RowError(number, ident, field, message)

    if not investors:
        return fail("investor", "missing investor")
    if not re.fullmatch(r"\d{4}", get("year")) or not 1990 <= int(get("year")) <= date.today().year:
        return fail("year", f"year must be a year such as 2019, not {get('year')!r}")
    month = _MONTHS.get(fold(get("month"))) if get("month") else 1
    if month is None and get("month").isdigit() and 1 <= int(get("month")) <= 12:
        month = int(get("month"))
    if month is None:
        return fail("month", f"unknown month {get('month')!r}")
    millions = _decimal(get("usd_millions"))
    if millions is None or millions <= 0:
        return fail("usd_millions", f"amount must be a positive number of USD millions such as $1,290, "
                                    f"not {get('usd_millions')!r}")
    share = None
    if get("share"):
        share = _decimal(get("share"))
        if share is None or not 0 < share <= 100:
            return fail("share", f"share must be a percentage such as 51%, not {get('share')!r}")
    country = places.country(get("country"))
    if country is None:
        return fail("country", f"unknown country {get('country')!r}")
    sector_key = fold(get("sector"))
    if sector_key and sector_key not in CGIT_SECTORS:
        return fail("sector", f"unknown sector {get('sector')!r}; use one of {', '.join(sorted(CGIT_SECTORS))}")
    sector_text = " / ".join(filter(None, (get("sector"), get("subsector"))))
    key_parts = (get("year"), str(month), *(reference.name_key(n) for n in investors), country,
                 reference.name_key(get("transaction_party")), reference.name_key(sector_text))
    key = f"cgit:{get('year')}-{month:02d}:{hashlib.sha1('|'.join(key_parts).encode()).hexdigest()[:16]}"
    target = get("transaction_party")
    title = f"{', '.join(investors)} in {reference.find_country(country)['name_en']}"
    title += f": {target}" if target else (f" ({sector_text})" if sector_text else "")
    return InvestmentRow(
        key=key, title=title[:500], signed_on=date(int(get("year")), month, 1), investors=investors, target=target,
        country=country, amount=millions * 1_000_000, share=share, sector=CGIT_SECTORS.get(sector_key),
        sector_text=sector_text[:200], belt_and_road=get("bri") == "1", greenfield=get("greenfield").upper() == "G",
    ), None


def _investment_values(rec: InvestmentRow) -> dict:
    return {
        "title": rec.title, "signed_on": rec.signed_on, "date_precision": Investment.Precision.MONTH,
        "country_id": rec.country, "amount": rec.amount.quantize(CENT), "currency": "USD", "share": rec.share,
        "sector_id": rec.sector, "sector_text": rec.sector_text, "target_name": rec.target,
        "belt_and_road": rec.belt_and_road, "greenfield": rec.greenfield,
    }


def import_investments(path: str | Path, *, dry_run: bool = False, progress: Progress | None = None,
                       rejects: str | Path | None = None) -> ImportReport:
    """Deals in the China Global Investment Tracker's columns; the row's own content is its natural key.

    Investors are matched to directory organisations by folded name, or added as Chinese
    companies; the transaction party is linked as the target when the directory knows it.
    Amounts are converted to CNY and EUR at the first day of the deal's month.
    """
    table = tabular.read_table(path, required=("year", "investor", "usd_millions", "country"), limits=import_limits())
    report = ImportReport(dry_run=dry_run, unknown_columns=[c for c in table.header if c and c not in INVESTMENT_COLUMNS])
    places = Places()
    orgs = Organisations()
    sectors = set(Sector.objects.values_list("code", flat=True))
    seen: dict[str, int] = {}
    total = len(table.rows)
    with transaction.atomic():
        existing = {i.import_key: i for i in Investment.objects.filter(import_key__startswith="cgit:")
                    .prefetch_related("parties")}
        for done, (number, row) in enumerate(table.rows, start=1):
            rec, error = validate_investment(number, row, places)
            if rec is not None and rec.key in seen:
                rec, error = None, RowError(number, rec.key, "investor", f"the same deal as row {seen[rec.key]}")
            if error:
                report.rejected.append(error)
                continue
            seen[rec.key] = number
            report.imported += 1
            if rec.sector not in sectors:
                rec = InvestmentRow(**{**rec.__dict__, "sector": None})
            _store_investment(rec, existing.get(rec.key), orgs, report, dry_run)
            if progress and (done % 25 == 0 or done == total):
                progress(done, total)
        if dry_run:
            transaction.set_rollback(True)
    if rejects is not None:
        write_rejects(rejects, table, report)
    return report


def _store_investment(rec: InvestmentRow, investment: Investment | None, orgs: Organisations, report: ImportReport,
                      dry_run: bool) -> None:
    values = _investment_values(rec)
    investor_ids = [orgs.find(n, "CN") for n in rec.investors]
    target_id = orgs.find(rec.target) if rec.target else None
    if investment is not None:
        same = all(getattr(investment, k) == v for k, v in values.items())
        wanted = sorted(((Party.Role.INVESTOR, i) for i in investor_ids), key=str)
        wanted += [(Party.Role.TARGET, target_id)] if target_id else []
        had = sorted(((p.role, p.organisation_id) for p in investment.parties.all() if p.role == Party.Role.INVESTOR),
                     key=str)
        had += [(p.role, p.organisation_id) for p in investment.parties.all() if p.role == Party.Role.TARGET]
        if same and had == wanted:
            report.unchanged += 1
            return
        report.updated += 1
    else:
        report.created += 1
        investment = Investment(import_key=rec.key, status=Investment.Status.SIGNED, source_url=CGIT_URL,
                                source_title=CGIT_TITLE)
    if dry_run:
        return
    for k, v in values.items():
        setattr(investment, k, v)
    parties = [PartyRef(role=Party.Role.INVESTOR, organisation_id=orgs.find_or_create(n, "CN")) for n in rec.investors]
    if target_id:
        parties.append(PartyRef(role=Party.Role.TARGET, organisation_id=target_id))
    save_record(investment, parties=parties, method=EntryMethod.IMPORT)


# ---------------------------------------------------------------------------------------------
# Packaged reference files


def packaged_file(name: str) -> Path:
    """A reference file shipped in `outcomes/data/`."""
    return Path(__file__).with_name("data") / name


SISTER_CITIES_FILE = "sister_cities_china_ceec.csv"
INVESTMENTS_FILE = "china_investment_ceec_2005_2021.csv"
