"""The directory's write path: validating and upserting organisations, import and export.

Web forms, the JSON API and `silkbridge import orgs` all go through `validate_row`
and `upsert`, so a rule about what an organisation may hold is written once.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from silkbridge.directory import tabular
from silkbridge.directory.columns import COLUMNS
from silkbridge.directory.models import City, Country, Organisation, OrganisationName, Person, ProfileText, Sector
from silkbridge.engines import language as languages
from silkbridge.engines.script import fold, search_document

CHUNK = 1000
_SECTOR_SPLIT = re.compile(r"[;,|/\n]+")
_email = EmailValidator()
_url = URLValidator(schemes=["http", "https"])
# Plain addresses (nearly all rows) match these stricter patterns and skip Django's full validators,
# which are a fifth of an import's cost; anything else still goes through Django's.
_LABEL = r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"
_PLAIN_URL = re.compile(rf"https?://{_LABEL}(?::\d{{1,5}})?(?:[/?#][^\s]*)?", re.I)
_PLAIN_EMAIL = re.compile(rf"[a-z0-9_+-]+(?:\.[a-z0-9_+-]+)*@{_LABEL}", re.I)


def _valid(value: str, plain: re.Pattern, validator, max_length: int) -> bool:
    if len(value) <= max_length and plain.fullmatch(value):
        return True
    try:
        validator(value)
    except ValidationError:
        return False
    return True
_KINDS = {k.value for k in Organisation.Kind}
_KIND_ALIASES = {
    "research institute": "research_institute", "institute": "research_institute", "chamber of commerce": "chamber",
    "government body": "government", "ministry": "government", "city office": "city", "municipality": "city",
    "firm": "company", "enterprise": "company", "sme": "company",
}
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RowError:
    row: int
    id: str
    field: str
    error: str


@dataclass(frozen=True)
class OrgRecord:
    """One validated organisation, as the import, the API and the forms produce it."""

    external_id: str
    name: str
    kind: str
    country: str
    city: str = ""
    sector_codes: tuple[str, ...] = ()
    sectors_other: str = ""
    website: str = ""
    language: str | None = None
    description: str = ""
    offers: str = ""
    needs: str = ""
    contact_name: str = ""
    contact_title: str = ""
    contact_email: str = ""


@dataclass
class ImportReport:
    imported: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RowError] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    dry_run: bool = False

    def as_dict(self) -> dict:
        return {
            "imported": self.imported,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": [asdict(e) for e in self.rejected],
        }

    @property
    def exit_status(self) -> int:
        return 1 if self.rejected else 0


class Lookups:
    """Reference data loaded once per import, so validating a row costs no query."""

    def __init__(self) -> None:
        self.countries: dict[str, str] = {}
        for c in Country.objects.all():
            for name in (c.code, c.name_en, c.name_zh, c.name_local, c.name_local_latn):
                if name:
                    self.countries.setdefault(fold(name), c.code)
        self.sectors: dict[str, str] = {}
        for s in Sector.objects.all():
            self.sectors[fold(s.code)] = s.code
            self.sectors.setdefault(fold(s.name_en), s.code)
            if s.name_zh:
                self.sectors.setdefault(fold(s.name_zh), s.code)
            for kw in s.keywords or ():
                self.sectors.setdefault(fold(kw), s.code)
        self.cities: dict[tuple[str, str], int] = {}
        for city in City.objects.all():
            for name in (city.name_en, city.name_zh, city.name_local, city.name_local_latn, *(city.aliases or ())):
                if name:
                    self.cities.setdefault((city.country_id, fold(name)), city.pk)

    def country(self, value: str) -> str | None:
        return self.countries.get(fold(value.strip())) if value.strip() else None

    def sector(self, value: str) -> str | None:
        """A NACE code for a sector as people write it: "26", "C26", "62.01", a title, or a keyword in any language."""
        key = fold(value.strip())
        if not key:
            return None
        if key in self.sectors:
            return self.sectors[key]
        from silkbridge.directory.reference import map_sector

        code = map_sector(value)
        return code if code and fold(code) in self.sectors else None

    def city_id(self, country: str, name: str, *, create: bool) -> int | None:
        name = name.strip()
        if not name:
            return None
        key = (country, fold(name))
        if key not in self.cities and create:
            city, _ = City.objects.get_or_create(country_id=country, key=fold(name), defaults={"name_en": name})
            self.cities[key] = city.pk
        return self.cities.get(key)


def _kind(value: str) -> str | None:
    key = value.strip().lower().replace("-", " ")
    if not key:
        return Organisation.Kind.COMPANY.value
    key = _KIND_ALIASES.get(key, key.replace(" ", "_"))
    return key if key in _KINDS else None


def make_id(name: str, country: str) -> str:
    return f"{country.lower()}-{slugify(fold(name))[:80]}"


def validate_row(row: dict[str, str], lookups: Lookups, *, number: int = 0) -> tuple[OrgRecord | None, list[RowError]]:
    """Check one row; return the record, or the reasons it cannot be stored."""
    get = lambda key: (row.get(key) or "").strip()  # noqa: E731
    errors: list[RowError] = []
    name, external_id = get("name"), get("id")

    def fail(field_name: str, message: str) -> None:
        errors.append(RowError(number, external_id, field_name, message))

    if not name:
        fail("name", "missing name")
    elif len(name) > 300:
        fail("name", f"name is {len(name)} characters long; at most 300")
    country = lookups.country(get("country"))
    if not get("country"):
        fail("country", "missing country")
    elif country is None:
        fail("country", f"unknown country {get('country')!r}; use an ISO 3166-1 code such as RS or CN")
    kind = _kind(get("kind"))
    if kind is None:
        fail("kind", f"unknown kind {get('kind')!r}; use one of {', '.join(sorted(_KINDS))}")
    website = get("website")
    if website:
        if "://" not in website and re.match(r"^[\w.-]+\.[a-z]{2,}(/|$)", website, re.I):
            website = "https://" + website
        if not _valid(website, _PLAIN_URL, _url, 2048):
            fail("website", f"website {get('website')!r} is not an http(s) address")
    email = get("contact_email")
    if email:
        if not _valid(email, _PLAIN_EMAIL, _email, 320):
            fail("contact_email", f"invalid e-mail address {email!r}")
    if email and not get("contact_name"):
        fail("contact_name", "an e-mail is given but no contact name")
    if external_id and len(external_id) > 100:
        fail("id", "id is longer than 100 characters")
    declared = get("language")
    text = "\n".join(filter(None, (get("description"), get("offers"), get("needs"))))
    language = None
    if declared:
        language = languages.normalise_code(declared, text)
        if language is None:
            fail("language", f"unknown language {declared!r}; use a code such as en, zh-hans, sr-cyrl, sr-latn, pl")
    elif text:
        detected = languages.detect(text, country=country)
        language = None if detected == languages.UNSURE else detected
    if errors:
        return None, errors
    codes: list[str] = []
    other: list[str] = []
    for word in filter(None, (w.strip() for w in _SECTOR_SPLIT.split(get("sectors")))):
        code = lookups.sector(word)
        if code and code not in codes:
            codes.append(code)
        elif not code:
            other.append(word)
    return OrgRecord(
        external_id=external_id or make_id(name, country),
        name=name, kind=kind, country=country, city=get("city"),
        sector_codes=tuple(codes), sectors_other="; ".join(other)[:500], website=website,
        language=language or ("en" if text else None),
        description=get("description"), offers=get("offers"), needs=get("needs"),
        contact_name=get("contact_name"), contact_title=get("contact_title"), contact_email=email,
    ), []


def _document(org: Organisation, names: Iterable[str], profiles: Iterable[ProfileText | OrgRecord],
              city_names: Sequence[str]) -> str:
    texts = [org.name, org.external_id, *names, *city_names, org.sectors_other]
    for p in profiles:
        texts += [p.description, p.offers, p.needs]
    return search_document(*texts)


def refresh_search_document(org: Organisation) -> None:
    city = org.city
    city_names = [city.name_en, city.name_zh, city.name_local, city.name_local_latn] if city else []
    org.search_document = _document(org, [n.name for n in org.other_names.all()], org.profiles.all(), city_names)
    Organisation.objects.filter(pk=org.pk).update(search_document=org.search_document)


class _Batch:
    """Applies validated records in bulk: a few queries per thousand rows, not per row."""

    def __init__(self, lookups: Lookups, dry_run: bool):
        self.lookups = lookups
        self.dry_run = dry_run

    def apply(self, records: Sequence[tuple[int, OrgRecord]], report: ImportReport) -> list[Organisation]:
        ids = [r.external_id for _, r in records]
        existing = {
            o.external_id: o
            for o in Organisation.objects.filter(external_id__in=ids)
            .select_related("city")
            .prefetch_related("sectors", "profiles", "people", "other_names")
        }
        new_orgs: list[tuple[Organisation, OrgRecord]] = []
        changed: list[tuple[Organisation, OrgRecord]] = []
        for _, rec in records:
            org = existing.get(rec.external_id)
            city_id = self.lookups.city_id(rec.country, rec.city, create=not self.dry_run)
            if org is None:
                org = Organisation(external_id=rec.external_id)
                self._set_fields(org, rec, city_id)
                new_orgs.append((org, rec))
            elif self._differs(org, rec, city_id):
                self._set_fields(org, rec, city_id)
                changed.append((org, rec))
            else:
                report.unchanged += 1
        report.created += len(new_orgs)
        report.updated += len(changed)
        report.imported += len(records)
        if self.dry_run:
            return []
        self._write(new_orgs, changed)
        return [o for o, _ in new_orgs + changed]

    @staticmethod
    def _set_fields(org: Organisation, rec: OrgRecord, city_id: int | None) -> None:
        org.name, org.kind, org.country_id, org.city_id = rec.name, rec.kind, rec.country, city_id
        org.website, org.sectors_other = rec.website, rec.sectors_other

    @staticmethod
    def _profile(org: Organisation, language: str | None) -> ProfileText | None:
        return next((p for p in org.profiles.all() if p.language == language), None)

    @staticmethod
    def _person(org: Organisation, name: str) -> Person | None:
        key = fold(name)
        return next((p for p in org.people.all() if fold(p.name) == key), None)

    def _differs(self, org: Organisation, rec: OrgRecord, city_id: int | None) -> bool:
        if (org.name, org.kind, org.country_id, org.city_id, org.website, org.sectors_other) != (
            rec.name, rec.kind, rec.country, city_id, rec.website, rec.sectors_other
        ):
            return True
        if sorted(s.code for s in org.sectors.all()) != sorted(rec.sector_codes):
            return True
        if rec.language:
            profile = self._profile(org, rec.language)
            if profile is None or (profile.description, profile.offers, profile.needs) != (rec.description, rec.offers, rec.needs):
                return True
        if rec.contact_name:
            person = self._person(org, rec.contact_name)
            if person is None or (person.title, person.email) != (rec.contact_title, rec.contact_email):
                return True
        return False

    def _write(self, new_orgs: list[tuple[Organisation, OrgRecord]], changed: list[tuple[Organisation, OrgRecord]]) -> None:
        wanted_cities = {o.city_id for o, _ in new_orgs + changed if o.city_id}
        city_names = {
            c.pk: [c.name_en, c.name_zh, c.name_local, c.name_local_latn] for c in City.objects.filter(pk__in=wanted_cities)
        }
        new_profiles: list[ProfileText] = []
        upd_profiles: list[ProfileText] = []
        new_people: list[Person] = []
        upd_people: list[Person] = []
        # New organisations get their search document before the insert: one write per row, not two.
        for org, rec in new_orgs:
            org.search_document = _document(org, [], [rec], city_names.get(org.city_id, []))
        now = timezone.now()
        _insert(Organisation, ["external_id", "name", "kind", "country_id", "city_id", "sectors_other", "size", "website",
                               "languages", "offer_types", "need_types", "search_document", "created_at", "updated_at"],
                [(o.external_id, o.name, o.kind, o.country_id, o.city_id, o.sectors_other, "", o.website, [], [], [],
                  o.search_document, now, now) for o, _ in new_orgs])
        ids = dict(Organisation.objects.filter(external_id__in=[o.external_id for o, _ in new_orgs])
                   .values_list("external_id", "pk"))
        for org, _ in new_orgs:
            org.pk = ids[org.external_id]
            org._state.adding = False
        profile_rows = [
            (org.pk, rec.language, ProfileText.Origin.AUTHOR.value, rec.description, rec.offers, rec.needs, now)
            for org, rec in new_orgs if rec.language and (rec.description or rec.offers or rec.needs)
        ]
        person_rows = [
            (org.pk, rec.contact_name, "", rec.contact_title, rec.contact_email, "") for org, rec in new_orgs if rec.contact_name
        ]
        for org, rec in changed:
            profiles = list(org.profiles.all())
            if rec.language and (rec.description or rec.offers or rec.needs):
                profile = self._profile(org, rec.language)
                if profile is None:
                    profile = self._new_profile(rec, org.pk)
                    new_profiles.append(profile)
                    profiles.append(profile)
                else:
                    profile.description, profile.offers, profile.needs = rec.description, rec.offers, rec.needs
                    upd_profiles.append(profile)
            if rec.contact_name:
                person = self._person(org, rec.contact_name)
                if person is None:
                    new_people.append(Person(organisation_id=org.pk, name=rec.contact_name, title=rec.contact_title,
                                             email=rec.contact_email))
                else:
                    person.title, person.email = rec.contact_title, rec.contact_email
                    upd_people.append(person)
            names = [n.name for n in org.other_names.all()]
            org.search_document = _document(org, names, profiles, city_names.get(org.city_id, []))
        if changed:
            Organisation.objects.bulk_update(
                [o for o, _ in changed], ["name", "kind", "country", "city", "website", "sectors_other", "search_document"],
                batch_size=500,
            )
        through = Organisation.sectors.through
        if changed:
            through.objects.filter(organisation_id__in=[o.pk for o, _ in changed]).delete()
        _insert(through, ["organisation_id", "sector_id"],
                [(o.pk, c) for o, r in new_orgs + changed for c in r.sector_codes])
        _insert(ProfileText, ["organisation_id", "language", "origin", "description", "offers", "needs", "updated_at"],
                profile_rows + [(p.organisation_id, p.language, p.origin, p.description, p.offers, p.needs, now)
                                for p in new_profiles])
        if upd_profiles:
            ProfileText.objects.bulk_update(upd_profiles, ["description", "offers", "needs"], batch_size=500)
        _insert(Person, ["organisation_id", "name", "name_latin", "title", "email", "phone"],
                person_rows + [(p.organisation_id, p.name, "", p.title, p.email, "") for p in new_people])
        if upd_people:
            Person.objects.bulk_update(upd_people, ["title", "email"], batch_size=500)

    @staticmethod
    def _new_profile(rec: OrgRecord, org_id: int | None = None) -> ProfileText | None:
        if not (rec.language and (rec.description or rec.offers or rec.needs)):
            return None
        return ProfileText(organisation_id=org_id, language=rec.language, origin=ProfileText.Origin.AUTHOR,
                           description=rec.description, offers=rec.offers, needs=rec.needs)


def _insert(model, columns: list[str], rows: list[tuple]) -> None:
    """A plain multi-row INSERT: dependent rows need no model instances, which is most of an import's cost."""
    if not rows:
        return
    by_column = {f.column: f for f in model._meta.concrete_fields}
    fields = [by_column[c] for c in columns]
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
    # Text and numbers go to the driver as they are; JSON and datetimes need the field's conversion, and one
    # insert repeats the same few such values, so each is converted once.
    converting = [i for i, f in enumerate(fields) if f.get_internal_type() in ("JSONField", "DateTimeField")]
    cache: dict[tuple[int, object], object] = {}

    def prep(i: int, value):
        key = (i, tuple(value) if isinstance(value, list) else value)
        if key not in cache:
            cache[key] = fields[i].get_db_prep_save(value, connection)
        return cache[key]

    prepared = rows
    if converting:
        prepared = []
        for row in rows:
            row = list(row)
            for i in converting:
                if row[i] is not None:
                    row[i] = prep(i, row[i])
            prepared.append(row)
    with connection.cursor() as cursor:
        cursor.executemany(sql, prepared)


def upsert(records: Sequence[tuple[int, OrgRecord]], *, lookups: Lookups | None = None, dry_run: bool = False,
           report: ImportReport | None = None) -> tuple[ImportReport, list[Organisation]]:
    """Store validated records in one transaction; created / updated / unchanged are counted."""
    report = report or ImportReport(dry_run=dry_run)
    batch = _Batch(lookups or Lookups(), dry_run)
    try:
        with transaction.atomic():
            touched = batch.apply(records, report)
    except IntegrityError:
        if len(records) == 1:
            raise
        # Something only the database could see: redo the chunk row by row so only the bad row fails.
        touched = []
        for number, rec in records:
            try:
                with transaction.atomic():
                    touched += batch.apply([(number, rec)], report)
            except IntegrityError as exc:
                report.rejected.append(RowError(number, rec.external_id, "id", f"could not be stored: {exc}"))
    if touched:
        from silkbridge.directory.signals import organisations_changed

        organisations_changed.send(sender=Organisation, ids=[o.pk for o in touched])
    return report, touched


def import_rows(rows: Iterable[tuple[int, dict[str, str]]], *, total: int = 0, dry_run: bool = False,
                progress: Progress | None = None, report: ImportReport | None = None) -> ImportReport:
    report = report or ImportReport(dry_run=dry_run)
    lookups = Lookups()
    seen: dict[str, int] = {}
    pending: list[tuple[int, OrgRecord]] = []
    done = 0
    for number, row in rows:
        done += 1
        record, errors = validate_row(row, lookups, number=number)
        if record is not None and record.external_id in seen:
            errors = [RowError(number, record.external_id, "id",
                               f"id {record.external_id!r} already appears in row {seen[record.external_id]}; the first occurrence wins")]
            record = None
        if errors:
            report.rejected.append(errors[0] if len(errors) == 1 else RowError(
                number, errors[0].id, ",".join(e.field for e in errors), "; ".join(e.error for e in errors)))
            continue
        seen[record.external_id] = number
        pending.append((number, record))
        if len(pending) >= CHUNK:
            upsert(pending, lookups=lookups, dry_run=dry_run, report=report)
            pending = []
            if progress:
                progress(done, total)
    if pending:
        upsert(pending, lookups=lookups, dry_run=dry_run, report=report)
    if progress:
        progress(done, total)
    if report.created > 1000 and not dry_run:
        # Fresh statistics let the planner use the search index right after a big import.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Organisation._meta.db_table}")
    report.rejected.sort(key=lambda e: e.row)
    return report


def import_organisations(path: str | Path, *, dry_run: bool = False, progress: Progress | None = None,
                         rejects: str | Path | None = None) -> ImportReport:
    """Import a .csv or .xlsx member list; raises `tabular.TableError` when the file cannot be read at all."""
    table = tabular.read_table(path, required=("name",))
    report = ImportReport(dry_run=dry_run, unknown_columns=[c for c in table.header if c and c not in COLUMNS])
    import_rows(table.rows, total=len(table.rows), dry_run=dry_run, progress=progress, report=report)
    if rejects is not None:
        write_rejects(rejects, table, report)
    return report


def write_rejects(path: str | Path, table: tabular.Table, report: ImportReport) -> int:
    """The rejected rows as they were, plus an `error` column: fix them and import this file again."""
    by_row = {e.row: e for e in report.rejected}
    header = [c for c in table.header if c] + ["error"]
    rows = (
        [cells.get(c, "") for c in header[:-1]] + [f"{by_row[n].field}: {by_row[n].error}"]
        for n, cells in table.rows if n in by_row
    )
    return tabular.write_table(path, header, rows)


@transaction.atomic
def save_organisation_details(org: Organisation, *, names: dict[str, str] | None = None,
                              profiles: Sequence[dict] = (), people: Sequence[dict] = (),
                              size: str | None = None, founded: int | None = None,
                              languages_spoken: Sequence[str] | None = None,
                              offer_types: Sequence[str] | None = None, need_types: Sequence[str] | None = None,
                              notify: bool = True) -> Organisation:
    """The richer fields that a one-row import does not carry: other names, more profiles, people."""
    if size is not None:
        org.size = size
    if founded is not None:
        org.founded = founded
    if languages_spoken is not None:
        org.languages = list(languages_spoken)
    if offer_types is not None:
        org.offer_types = list(offer_types)
    if need_types is not None:
        org.need_types = list(need_types)
    org.save()
    for language, name in (names or {}).items():
        OrganisationName.objects.update_or_create(organisation=org, language=language, defaults={"name": name})
    for p in profiles:
        ProfileText.objects.update_or_create(
            organisation=org, language=p["language"],
            defaults={k: p.get(k, "") for k in ("description", "offers", "needs")} | {"origin": p.get("origin", "author")},
        )
    for person in people:
        Person.objects.update_or_create(
            organisation=org, name=person["name"],
            defaults={k: person.get(k, "") for k in ("name_latin", "title", "email", "phone")},
        )
    refresh_search_document(org)
    if notify:
        from silkbridge.directory.signals import organisations_changed

        organisations_changed.send(sender=Organisation, ids=[org.pk])
    return org


@transaction.atomic
def load_reference_data() -> dict[str, int]:
    """Countries, cities and the NACE taxonomy from the packaged files; safe to run again."""
    from silkbridge.directory import reference

    countries = [Country(code=c["code"], name_en=c["name_en"], name_zh=(c.get("name_zh") or ""),
                         name_local=(c.get("name_local") or ""), name_local_latn=(c.get("name_local_latn") or ""),
                         groups=(c.get("groups") or [])) for c in reference.load_countries()]
    Country.objects.bulk_create(countries, update_conflicts=True, unique_fields=["code"],
                                update_fields=["name_en", "name_zh", "name_local", "name_local_latn", "groups"])
    nace = reference.load_nace()
    sectors = [Sector(code=s["code"], level=s["level"], parent_id=None, name_en=s["name_en"],
                      name_zh=(s.get("name_zh") or ""), keywords=(s.get("keywords") or [])) for s in nace]
    Sector.objects.bulk_create(sectors, update_conflicts=True, unique_fields=["code"],
                               update_fields=["level", "name_en", "name_zh", "keywords"])
    for s in nace:
        if s.get("parent"):
            Sector.objects.filter(code=s["code"]).exclude(parent_id=s["parent"]).update(parent_id=s["parent"])
    known = {(c.country_id, c.key): c for c in City.objects.all()}
    new_cities, changed = [], []
    for c in reference.load_cities():
        key = (c["country"], fold(c["name_en"]))
        values = {"name_en": c["name_en"], "name_zh": (c.get("name_zh") or ""), "name_local": (c.get("name_local") or ""),
                  "name_local_latn": (c.get("name_local_latn") or ""), "aliases": (c.get("aliases") or [])}
        city = known.get(key)
        if city is None:
            city = City(country_id=c["country"], key=key[1], **values)
            known[key] = city
            new_cities.append(city)
        elif any(getattr(city, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(city, k, v)
            changed.append(city)
    City.objects.bulk_create(new_cities, batch_size=500)
    if changed:
        City.objects.bulk_update(changed, ["name_en", "name_zh", "name_local", "name_local_latn", "aliases"], batch_size=500)
    return {"countries": len(countries), "sectors": len(sectors), "cities": len(new_cities) + len(changed)}
