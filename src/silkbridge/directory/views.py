"""Directory pages: the searchable list, an organisation's page, and the staff import."""
from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from silkbridge.directory import queries, services, tabular
from silkbridge.directory.forms import ImportForm
from silkbridge.directory.models import Country, Organisation, ProfileText, Sector

PAGE_SIZE = 20


def organisation_list(request: HttpRequest) -> HttpResponse:
    params = {k: request.GET.get(k, "").strip() for k in ("q", "country", "kind", "sector", "language")}
    queryset = queries.filtered(**params).order_by("name", "id").prefetch_related("sectors", "profiles")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    language = get_language()
    rows = [(org, org.profile_for(language)) for org in page.object_list]
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(request, "directory/organisation_list.html", {
        "page": page,
        "rows": rows,
        "params": params,
        "querystring": querystring.urlencode(),
        "countries": Country.objects.filter(organisations__isnull=False).distinct().order_by("name_en"),
        "kinds": Organisation.Kind.choices,
        "sectors": Sector.objects.filter(level="section").order_by("code"),
        "languages": sorted(ProfileText.objects.values_list("language", flat=True).distinct()),
    })


def organisation_detail(request: HttpRequest, org_id: str) -> HttpResponse:
    org = get_object_or_404(
        Organisation.objects.select_related("country", "city").prefetch_related(
            "sectors", "other_names", Prefetch("profiles", queryset=ProfileText.objects.order_by("origin", "language")), "people"
        ),
        external_id=org_id,
    )
    language = get_language()
    context = {
        "org": org,
        "profile": org.profile_for(language),
        "profiles": list(org.profiles.all()),
        "people": list(org.people.all()),
        "show_contacts": request.user.is_staff,
        "recommendations": _recommendations(org),
    }
    return render(request, "directory/organisation_detail.html", context)


def _recommendations(org: Organisation):
    """Recommended partners when the matching app is installed and has results; else nothing."""
    try:
        from silkbridge.matching import services as matching
    except ImportError:
        return None
    finder = getattr(matching, "cached_matches", None)
    return finder(org) if finder else None


@staff_member_required
def import_organisations(request: HttpRequest) -> HttpResponse:
    report = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / Path(upload.name).name
            with path.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            try:
                report = services.import_organisations(path, dry_run=form.cleaned_data["dry_run"])
            except tabular.TableError as exc:
                form.add_error("file", str(exc).replace(str(path), upload.name))
    return render(request, "directory/import.html", {"form": form, "report": report})
