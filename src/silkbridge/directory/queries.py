"""Read side of the directory: filtering and full-text search shared by pages and the API."""
from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from silkbridge.directory.models import Organisation
from silkbridge.engines.script import query_terms

FTS_TABLE = "directory_organisation_fts"


def search(queryset: QuerySet[Organisation], q: str) -> QuerySet[Organisation]:
    """Every word of `q` must start a word of the name or profile texts, in any case, accent or script.

    SQLite answers from an FTS5 table, PostgreSQL from a GIN index on the same folded document.
    """
    terms = query_terms(q or "")
    if not terms:
        return queryset
    if connection.vendor == "postgresql":
        tsquery = " & ".join("'" + t.replace("'", "''").replace("\\", "") + "':*" for t in terms)
        return queryset.extra(
            where=["directory_organisation.search_vector @@ to_tsquery('simple', %s)"],
            params=[tsquery],
        )
    if connection.vendor == "sqlite":
        match = " ".join('"' + t.replace('"', '""') + '"*' for t in terms)
        return queryset.extra(
            where=[f"directory_organisation.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"],
            params=[match],
        )
    for term in terms:  # other databases: a plain scan of the folded document
        queryset = queryset.filter(search_document__contains=term)
    return queryset


def filtered(*, q: str = "", country: str = "", kind: str = "", sector: str = "", language: str = "") -> QuerySet[Organisation]:
    queryset = Organisation.objects.select_related("country", "city")
    if country:
        queryset = queryset.filter(country_id=country.upper())
    if kind:
        queryset = queryset.filter(kind=kind)
    if sector:
        if len(sector) == 1 and sector.isalpha():
            queryset = queryset.filter(sectors__parent_id=sector.upper())
        else:
            queryset = queryset.filter(sectors__code=sector)
    if language:
        queryset = queryset.filter(profiles__language=language)
    if sector or language:
        queryset = queryset.distinct()
    return search(queryset, q)
