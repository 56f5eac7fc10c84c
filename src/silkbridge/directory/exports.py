"""The directory as a spreadsheet (CSV or XLSX) in the import's columns; every app keeps its file exports in `exports`."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from silkbridge.directory import tabular
from silkbridge.directory.models import Organisation, ProfileText
from silkbridge.directory.services import COLUMNS


def export_rows(queryset=None) -> Iterable[list[str]]:
    queryset = queryset if queryset is not None else Organisation.objects.all()
    queryset = queryset.select_related("city").prefetch_related("sectors", "profiles", "people").order_by("external_id")
    for org in queryset.iterator(chunk_size=2000):
        profiles = list(org.profiles.all())
        authored = [p for p in profiles if p.origin == ProfileText.Origin.AUTHOR] or profiles
        profile = authored[0] if authored else None
        person = next(iter(org.people.all()), None)
        sectors = [s.code for s in org.sectors.all()]
        if org.sectors_other:
            sectors.append(org.sectors_other)
        yield [
            org.external_id, org.name, org.kind, org.country_id, org.city.name_en if org.city else "",
            "; ".join(sectors), org.website, profile.language if profile else "",
            profile.description if profile else "", profile.offers if profile else "", profile.needs if profile else "",
            person.name if person else "", person.title if person else "", person.email if person else "",
        ]


def export_organisations(path: str | Path, queryset=None) -> int:
    return tabular.write_table(path, COLUMNS, export_rows(queryset))
