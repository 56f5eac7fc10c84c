"""Directory pages: the searchable list, an organisation's page, and the staff import."""
from __future__ import annotations

from pathlib import Path

from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language

from silkbridge.directory import queries
from silkbridge.directory.forms import ImportForm
from silkbridge.directory.models import Country, Organisation, ProfileText, Sector
from silkbridge.directory.signals import organisation_page

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
    """Recommended partners from the apps that answer `organisation_page` (matching); None when none does."""
    answers = [extra for _receiver, extra in organisation_page.send(sender=Organisation, organisation=org)
               if extra and "recommendations" in extra]
    return answers[0]["recommendations"] if answers else None


@staff_member_required
def import_organisations(request: HttpRequest) -> HttpResponse:
    """Upload a member list; the import runs as a background job whose page shows progress and the report."""
    from silkbridge.directory import tasks
    from silkbridge.jobs.dispatch import start_job
    from silkbridge.jobs.progress import keep_upload

    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        copy = keep_upload(upload)
        job = start_job("import organisations", tasks.import_file, copy,
                        Path(upload.name).name, form.cleaned_data["dry_run"])
        return redirect("directory:import_job", job_id=job.pk)
    return render(request, "directory/import.html", {"form": form})


def _import_job(job_id: int):
    from silkbridge.jobs.models import Job

    return get_object_or_404(Job, pk=job_id, name="import organisations")


@staff_member_required
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    from silkbridge.directory.tasks import rejects_path

    job = _import_job(job_id)
    report = job.result if job.status == "done" else None
    return render(request, "directory/import_job.html", {
        "job": job, "report": report, "running": job.status in ("queued", "running"),
        "has_rejects": bool(report and report.get("rejected")) and rejects_path(job.pk).exists(),
    })


@staff_member_required
def import_rejects(request: HttpRequest, job_id: int) -> FileResponse:
    """The rejected rows as uploaded, with an ``error`` column: fix them and upload the file again."""
    from silkbridge.directory.tasks import rejects_path

    path = rejects_path(_import_job(job_id).pk)
    if not path.exists():
        raise Http404("this import rejected no rows")
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"rejected-rows-{job_id}.csv",
                        content_type="text/csv; charset=utf-8")
