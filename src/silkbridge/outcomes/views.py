"""Outcome pages: lists and record pages for everyone, editing for staff, reports with charts and exports."""
from __future__ import annotations

import functools
from datetime import date

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from silkbridge.forums.models import Forum
from silkbridge.outcomes import charts, exports, reports, services
from silkbridge.outcomes.forms import FORMS, ImportForm
from silkbridge.outcomes.models import Agreement, CityRelation, Investment, Visit

PAGE_SIZE = 25
KINDS = {
    "agreements": (Agreement, _("Agreements")),
    "investments": (Investment, _("Investment projects")),
    "cities": (CityRelation, _("City partnerships")),
    "visits": (Visit, _("Delegation visits")),
}
# Shown in the provenance box or not at all, rather than in the list of facts.
_HIDDEN = {"id", "forum", "meeting", "source_url", "source_title", "source_excerpt", "source_article_id", "source_span",
           "entered_by", "entry_method", "import_key", "created_at", "updated_at", "conversions", "conversion_error",
           "amount_usd", "amount_cny", "amount_eur", "amount", "currency", "notes", "title", "delegation"}
_SEARCH = {"agreements": ["title", "place"], "investments": ["title", "target_name", "sector_text"],
           "cities": ["city_a__name_en", "city_b__name_en", "city_a__name_zh", "city_b__name_zh"],
           "visits": ["delegation", "head", "purpose"]}
_RELATED = {"agreements": ["city", "forum"], "investments": ["country", "city", "sector", "forum"],
            "cities": ["city_a__country", "city_b__country", "forum"],
            "visits": ["from_country", "to_country", "from_city", "to_city", "forum"]}


def _kind(kind: str):
    if kind not in KINDS:
        raise Http404("no such kind of record")
    return KINDS[kind]


def index(request: HttpRequest) -> HttpResponse:
    sections = []
    for kind, (model, label) in KINDS.items():
        recent = model.objects.select_related(*_RELATED[kind]).order_by("-created_at", "-id")[:8]
        sections.append({"kind": kind, "label": label, "count": model.objects.count(), "recent": recent})
    forums = Forum.objects.order_by("-starts_on")[:20]
    return render(request, "outcomes/index.html", {"sections": sections, "forums": forums})


def record_list(request: HttpRequest, kind: str) -> HttpResponse:
    model, label = _kind(kind)
    queryset = model.objects.select_related(*_RELATED[kind])
    q = request.GET.get("q", "").strip()
    if q:
        condition = Q()
        for field in _SEARCH[kind]:
            condition |= Q(**{f"{field}__icontains": q})
        queryset = queryset.filter(condition)
    forum = request.GET.get("forum", "").strip()
    if forum:
        queryset = queryset.filter(forum__slug=forum)
    page = Paginator(queryset.order_by(*model._meta.ordering, "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(request, "outcomes/record_list.html", {
        "kind": kind, "label": label, "page": page, "q": q, "forum": forum, "querystring": querystring.urlencode(),
    })


def _facts(record) -> list[tuple[str, object]]:
    facts = []
    for field in record._meta.concrete_fields:
        if field.name in _HIDDEN:
            continue
        value = getattr(record, f"get_{field.name}_display")() if field.choices else getattr(record, field.name)
        if value in (None, ""):
            continue
        if isinstance(value, bool):
            value = _("yes") if value else _("no")
        facts.append((field.verbose_name, value))
    return facts


def record_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model, label = _kind(kind)
    record = get_object_or_404(model.objects.select_related("forum", "meeting", "entered_by", *_RELATED[kind]), pk=pk)
    context = {"kind": kind, "label": label, "record": record, "facts": _facts(record)}
    if kind in ("agreements", "investments"):
        context["parties"] = record.parties.select_related("organisation", "city", "country")
    if kind == "visits":
        context["met"] = record.met.all()
    return render(request, "outcomes/record_detail.html", context)


@staff_member_required
def record_edit(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    model, label = _kind(kind)
    record = get_object_or_404(model, pk=pk) if pk else model()
    form = FORMS[kind](request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        record = form.save(commit=False)
        try:
            services.save_record(record, parties=form.parties, met=getattr(form, "met", None) if kind == "visits" else None,
                                 by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(record.get_absolute_url())
    return render(request, "outcomes/record_form.html", {"kind": kind, "label": label, "form": form, "record": record})


@staff_member_required
@require_POST
def record_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model, _label = _kind(kind)
    services.delete_record(get_object_or_404(model, pk=pk))
    messages.success(request, _("Deleted."))
    return redirect("outcomes:records", kind=kind)


def _year(value: str | None) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit() or not 1900 <= int(value) <= 2100:
        raise Http404("a year is four digits")
    return int(value)


def _render_report(request: HttpRequest, report: reports.Report, filename: str, extra: dict) -> HttpResponse:
    fmt = request.GET.get("format", "")
    if fmt == "xlsx":
        response = HttpResponse(exports.report_xlsx(report),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    context = {"report": report, "charts": charts.report_charts(report), **extra}
    if fmt == "print":
        return render(request, "outcomes/report_print.html", context)
    return render(request, "outcomes/report.html", context)


def programme_report(request: HttpRequest) -> HttpResponse:
    from_year, to_year = _year(request.GET.get("from")), _year(request.GET.get("to"))
    report = reports.programme_report(from_year, to_year)
    name = f"programme-{from_year or 'start'}-{to_year or date.today().year}"
    return _render_report(request, report, name, {"from_year": from_year, "to_year": to_year, "programme": True})


def forum_report(request: HttpRequest, slug: str) -> HttpResponse:
    forum = get_object_or_404(Forum, slug=slug)
    return _render_report(request, reports.forum_report(forum), f"outcomes-{slugify(forum.slug)}", {"forum": forum})


@functools.cache
def _plotly_js() -> bytes:
    import plotly.offline

    return plotly.offline.get_plotlyjs().encode()


@cache_control(public=True, max_age=86400)
def plotly_js(request: HttpRequest) -> HttpResponse:
    """plotly.js from the installed package, so charts work with no internet connection."""
    return HttpResponse(_plotly_js(), content_type="text/javascript; charset=utf-8")


@staff_member_required
def import_file(request: HttpRequest) -> HttpResponse:
    """Upload a sister-city or investment file; the import runs as a background job."""
    from silkbridge.jobs.dispatch import start_job
    from silkbridge.jobs.progress import keep_upload
    from silkbridge.outcomes import tasks

    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        copy = keep_upload(upload)
        kind = form.cleaned_data["kind"]
        job = start_job(f"import {kind}", tasks.import_file, kind, copy,
                        form.cleaned_data["dry_run"])
        return redirect("outcomes:import_job", job_id=job.pk)
    return render(request, "outcomes/import.html", {"form": form})


@staff_member_required
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    from silkbridge.jobs.models import Job

    job = get_object_or_404(Job, pk=job_id, name__startswith="import ")
    return render(request, "outcomes/import_job.html", {"job": job, "running": job.status in ("queued", "running")})
