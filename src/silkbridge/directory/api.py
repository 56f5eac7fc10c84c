"""JSON API for the directory: list, read, create and update organisations."""
from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth
from pydantic import create_model

from silkbridge.directory import queries, services
from silkbridge.directory.columns import COLUMNS, DEFAULTS, REQUIRED
from silkbridge.directory.models import Organisation

router = Router(tags=["organisations"])


class ProfileOut(Schema):
    language: str
    origin: str
    description: str
    offers: str
    needs: str


class OrganisationOut(Schema):
    id: str
    name: str
    kind: str
    country: str
    city: str | None
    sectors: list[str]
    website: str
    languages: list[str]
    names: dict[str, str]
    profiles: list[ProfileOut]
    url: str


class OrganisationList(Schema):
    count: int
    items: list[OrganisationOut]


# The import's columns as the API's input: the same names, the same required ones.
OrganisationIn = create_model(
    "OrganisationIn", __base__=Schema,
    **{c: (str | None, None) if c == "id" else (str, ...) if c in REQUIRED else (str, DEFAULTS.get(c, ""))
       for c in COLUMNS},
)


class FieldError(Schema):
    field: str
    error: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


def serialize(org: Organisation) -> dict:
    return {
        "id": org.external_id,
        "name": org.name,
        "kind": org.kind,
        "country": org.country_id,
        "city": org.city.name_en if org.city else None,
        "sectors": [s.code for s in org.sectors.all()],
        "website": org.website,
        "languages": org.languages,
        "names": {n.language: n.name for n in org.other_names.all()},
        "profiles": [
            {"language": p.language, "origin": p.origin, "description": p.description, "offers": p.offers, "needs": p.needs}
            for p in org.profiles.all()
        ],
        "url": org.get_absolute_url(),
    }


def _with_related(queryset):
    return queryset.select_related("city").prefetch_related("sectors", "profiles", "other_names")


@router.get("", response=OrganisationList, summary="List and search organisations")
def list_organisations(request: HttpRequest, limit: int = 20, offset: int = 0, country: str = "", kind: str = "",
                       sector: str = "", language: str = "", q: str = ""):
    if not 1 <= limit <= 200:
        raise HttpError(422, "limit must be between 1 and 200")
    if offset < 0:
        raise HttpError(422, "offset must not be negative")
    queryset = queries.filtered(q=q, country=country, kind=kind, sector=sector, language=language).order_by("name", "id")
    page = _with_related(queryset)[offset:offset + limit]
    return {"count": queryset.count(), "items": [serialize(o) for o in page]}


@router.get("/{org_id}", response={200: OrganisationOut, 404: ErrorOut}, summary="One organisation")
def get_organisation(request: HttpRequest, org_id: str):
    return serialize(get_object_or_404(_with_related(Organisation.objects), external_id=org_id))


def _save(payload: OrganisationIn, org_id: str | None):
    data = payload.dict()
    data["id"] = org_id or data.get("id") or ""
    record, errors = services.validate_row({k: str(v or "") for k, v in data.items()}, services.Lookups())
    if errors:
        return Status(422, {"detail": "invalid organisation", "errors": [{"field": e.field, "error": e.error} for e in errors]})
    report, _ = services.upsert([(0, record)])
    org = _with_related(Organisation.objects).get(external_id=record.external_id)
    return Status(201 if report.created else 200, serialize(org))


@router.post("", response={200: OrganisationOut, 201: OrganisationOut, 403: ErrorOut, 422: ErrorOut}, auth=django_auth,
             summary="Create (or update) an organisation — staff only")
def create_organisation(request: HttpRequest, payload: OrganisationIn):
    if not request.user.is_staff:
        return Status(403, {"detail": "staff only"})
    return _save(payload, None)


@router.put("/{org_id}", response={200: OrganisationOut, 201: OrganisationOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
            auth=django_auth, summary="Update an organisation — staff only")
def update_organisation(request: HttpRequest, org_id: str, payload: OrganisationIn):
    if not request.user.is_staff:
        return Status(403, {"detail": "staff only"})
    get_object_or_404(Organisation, external_id=org_id)
    return _save(payload, org_id)
