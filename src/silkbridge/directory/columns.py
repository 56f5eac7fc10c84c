"""The organisation table's columns, declared once: the import and export, the API's input and the benchmark's
generated files all read them (no Django, so scripts can import it)."""
from __future__ import annotations

COLUMNS: tuple[str, ...] = (
    "id", "name", "kind", "country", "city", "sectors", "website", "language",
    "description", "offers", "needs", "contact_name", "contact_title", "contact_email",
)
REQUIRED: frozenset[str] = frozenset({"name", "country"})
DEFAULTS: dict[str, str] = {"kind": "company"}
