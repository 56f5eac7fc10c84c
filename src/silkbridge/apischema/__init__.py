"""What every part of the JSON API shares: the one error body, and the bounds on ids, limits, offsets and years.

Each app's api.py uses these, so the OpenAPI schema has one `Error` and declares every bound it enforces.
"""
from __future__ import annotations

from ninja import Schema

# The largest value a BigAutoField (and PostgreSQL's bigint, SQLite's INTEGER) holds.
MAX_ID = 2**63 - 1
# No list is that long; a bound keeps the SQL OFFSET inside a 64-bit integer.
MAX_OFFSET = 10**9
# Years a date can carry (datetime.date's range).
MIN_YEAR, MAX_YEAR = 1, 9999


class FieldError(Schema):
    field: str
    error: str


class Error(Schema):
    """Every error body of the API: what went wrong and, for invalid input, each field with its reason."""

    detail: str
    errors: list[FieldError] = []


def field_errors(errors: dict[str, list[str]] | list) -> list[dict[str, str]]:
    """A form's or ValidationError's `{field: [messages]}` as the API's list of field errors."""
    if isinstance(errors, dict):
        return [{"field": field, "error": " ".join(str(m) for m in messages)} for field, messages in errors.items()]
    return [{"field": "__all__", "error": " ".join(str(m) for m in errors)}]
