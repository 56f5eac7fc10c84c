"""JSON API for outcomes: read for everyone, create/update/delete for staff, and the two reports.

Input goes through the same forms as the web pages, then through `services.save_record`,
so the API cannot store what the pages would refuse.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Schema, Status
from ninja.security import django_auth

from silkbridge.apischema import (
    MAX_ID,
    MAX_OFFSET,
    MAX_YEAR,
    MIN_YEAR,
    Error,
    field_errors,
)
from silkbridge.forums.models import Forum
from silkbridge.outcomes import reports, services
from silkbridge.outcomes.forms import FORMS
from silkbridge.outcomes.models import Agreement, CityRelation, Investment, Visit

router = Router(tags=["outcomes"])
MODELS = {"agreements": Agreement, "investments": Investment, "cities": CityRelation, "visits": Visit}
# API list fields -> the form's one-per-line text fields.
_LINES = {"parties": "parties_text", "investors": "investors_text", "targets": "targets_text", "met": "met_text"}


class RecordIn(Schema):
    forum: int | None = None
    meeting: int | None = None
    source_url: str = ""
    source_title: str = ""
    source_excerpt: str = ""
    notes: str = ""


class AgreementIn(RecordIn):
    kind: str = "mou"
    title: str
    signed_on: date | None = None
    place: str = ""
    city: int | None = None
    status: str = "signed"
    description: str = ""
    amount: Decimal | None = None
    currency: str = ""
    parties: list[str] = []


class InvestmentIn(RecordIn):
    title: str
    status: str = "announced"
    signed_on: date | None = None
    date_precision: str = "day"
    amount: Decimal | None = None
    currency: str = ""
    country: str | None = None
    city: int | None = None
    sector: str | None = None
    sector_text: str = ""
    share: Decimal | None = None
    greenfield: bool | None = None
    belt_and_road: bool | None = None
    target_name: str = ""
    description: str = ""
    investors: list[str] = []
    targets: list[str] = []


class CityRelationIn(RecordIn):
    city_a: int
    city_b: int
    kind: str = "sister"
    since: int | None = None


class VisitIn(RecordIn):
    delegation: str
    head: str = ""
    organisation: str = ""
    from_country: str | None = None
    from_city: int | None = None
    to_country: str | None = None
    to_city: int | None = None
    starts_on: date
    ends_on: date | None = None
    purpose: str = ""
    met_people: str = ""
    met: list[str] = []


class RecordOut(Schema):
    id: int
    kind: str
    title: str
    url: str
    fields: dict
    parties: list[dict] = []
    provenance: dict


class RecordList(Schema):
    count: int
    items: list[RecordOut]


def _value(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def serialize(kind: str, record) -> dict:
    skip = {"id", "entered_by", "entry_method", "import_key", "created_at", "updated_at", "source_url", "source_title",
            "source_excerpt", "source_article_id", "source_span"}
    fields = {f.attname.removesuffix("_id") if f.is_relation else f.name: _value(getattr(record, f.attname))
              for f in record._meta.concrete_fields if f.name not in skip}
    out = {
        "id": record.pk, "kind": kind, "title": record.title, "url": record.get_absolute_url(), "fields": fields,
        "provenance": {
            "source_url": record.source_url, "source_title": record.source_title,
            "source_excerpt": record.source_excerpt, "source_article_id": record.source_article_id,
            "source_span": record.source_span, "entry_method": record.entry_method,
            "entered_by": record.entered_by.get_username() if record.entered_by else None,
            "entered_at": record.created_at.isoformat(), "updated_at": record.updated_at.isoformat(),
        },
    }
    if kind in ("agreements", "investments"):
        out["parties"] = [{"role": p.role, "organisation": p.organisation.external_id if p.organisation else None,
                           "city": p.city_id, "country": p.country_id} for p in record.parties.all()]
    if kind == "visits":
        out["fields"]["met"] = [o.external_id for o in record.met.all()]
        out["fields"]["organisation"] = record.organisation.external_id if record.organisation else None
    return out


def _queryset(kind: str):
    queryset = MODELS[kind].objects.select_related("entered_by")
    if kind in ("agreements", "investments"):
        queryset = queryset.prefetch_related("parties__organisation")
    if kind == "visits":
        queryset = queryset.select_related("organisation").prefetch_related("met")
    return queryset


def _form_data(payload: Schema) -> dict[str, str]:
    data: dict[str, str] = {}
    for key, value in payload.dict().items():
        if key in _LINES:
            data[_LINES[key]] = "\n".join(value)
        elif isinstance(value, bool):
            data[key] = "true" if value else "false"
        else:
            data[key] = "" if value is None else str(value)
    return data


def _save(request: HttpRequest, kind: str, payload: Schema, record=None):
    if not request.user.is_staff:
        return Status(403, {"detail": "staff only"})
    form = FORMS[kind](_form_data(payload), instance=record or MODELS[kind]())
    if form.is_valid():
        created = form.instance.pk is None
        try:
            saved = services.save_record(form.save(commit=False), parties=form.parties,
                                         met=getattr(form, "met", None) if kind == "visits" else None, by=request.user)
        except ValidationError as exc:
            return Status(422, {"detail": f"invalid {kind[:-1]}", "errors": field_errors(exc.message_dict)})
        return Status(201 if created else 200, serialize(kind, _queryset(kind).get(pk=saved.pk)))
    reverse_lines = {v: k for k, v in _LINES.items()}
    return Status(422, {"detail": f"invalid {kind[:-1]}", "errors": [
        {"field": reverse_lines.get(field, field), "error": " ".join(errors)} for field, errors in form.errors.items()]})


def _crud(kind: str, schema: type[Schema]) -> None:
    label = kind.replace("cities", "city partnerships")

    @router.get(f"/{kind}", response=RecordList, summary=f"List {label}", operation_id=f"list_{kind}")
    def list_records(request: HttpRequest, limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0, le=MAX_OFFSET),
                     forum: str = ""):
        queryset = _queryset(kind).order_by("id")
        if forum:
            queryset = queryset.filter(forum__slug=forum)
        return {"count": queryset.count(), "items": [serialize(kind, r) for r in queryset[offset:offset + limit]]}

    @router.get(f"/{kind}/{{record_id}}", response={200: RecordOut, 404: Error}, summary=f"One of the {label}",
                operation_id=f"get_{kind}")
    def get_record(request: HttpRequest, record_id: int = Path(..., ge=1, le=MAX_ID)):
        return serialize(kind, get_object_or_404(_queryset(kind), pk=record_id))

    @router.post(f"/{kind}", response={201: RecordOut, 403: Error, 422: Error}, auth=django_auth,
                 summary=f"Add to {label} — staff only", operation_id=f"create_{kind}")
    def create_record(request: HttpRequest, payload: schema):
        return _save(request, kind, payload)

    @router.put(f"/{kind}/{{record_id}}", response={200: RecordOut, 403: Error, 404: Error, 422: Error},
                auth=django_auth, summary=f"Change one of the {label} — staff only", operation_id=f"update_{kind}")
    def update_record(request: HttpRequest, payload: schema, record_id: int = Path(..., ge=1, le=MAX_ID)):
        return _save(request, kind, payload, get_object_or_404(MODELS[kind], pk=record_id))

    @router.delete(f"/{kind}/{{record_id}}", response={204: None, 403: Error, 404: Error}, auth=django_auth,
                   summary=f"Delete one of the {label} — staff only", operation_id=f"delete_{kind}")
    def delete_record(request: HttpRequest, record_id: int = Path(..., ge=1, le=MAX_ID)):
        if not request.user.is_staff:
            return Status(403, {"detail": "staff only"})
        services.delete_record(get_object_or_404(MODELS[kind], pk=record_id))
        return Status(204, None)


for _kind, _schema in (("agreements", AgreementIn), ("investments", InvestmentIn), ("cities", CityRelationIn),
                       ("visits", VisitIn)):
    _crud(_kind, _schema)


@router.get("/reports/programme", response=dict, summary="The programme report, optionally for a span of years")
def programme_report(request: HttpRequest, from_year: int | None = Query(None, ge=MIN_YEAR, le=MAX_YEAR),
                     to_year: int | None = Query(None, ge=MIN_YEAR, le=MAX_YEAR)):
    return reports.programme_report(from_year, to_year).as_dict()


@router.get("/reports/forum/{slug}", response={200: dict, 404: Error}, summary="What came out of one forum")
def forum_report(request: HttpRequest, slug: str):
    return reports.forum_report(get_object_or_404(Forum, slug=slug)).as_dict()
