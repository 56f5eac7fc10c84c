"""The review queue for staff: articles with pending candidates, an article with its spans marked, accept / edit / reject."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silkbridge.news import services
from silkbridge.news.forms import CandidateForm, UploadForm
from silkbridge.news.highlight import Marked, highlight
from silkbridge.news.models import Article, Candidate

PAGE_SIZE = 30


@staff_member_required
def article_list(request: HttpRequest) -> HttpResponse:
    queryset = services.pending_counts()
    if request.GET.get("show") != "all":
        queryset = queryset.filter(pending__gt=0)
    page = Paginator(queryset.order_by("-pending", "-ingested_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "news/article_list.html", {"page": page, "show_all": request.GET.get("show") == "all"})


def _spans(candidate: Candidate) -> list[Marked]:
    css = f"span--{candidate.kind} span--{candidate.status}"
    spans = candidate.payload.get("spans") or [[candidate.start, candidate.end]]
    return [Marked(int(a), int(b), candidate.pk, css) for a, b in spans]


@staff_member_required
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    candidates = list(article.candidates.select_related("organisation", "person", "city"))
    marked = highlight(article.text, [m for c in candidates if c.status != Candidate.Status.REJECTED for m in _spans(c)])
    facts = [c for c in candidates if c.is_fact]
    entities = [c for c in candidates if not c.is_fact]
    return render(request, "news/article_detail.html", {
        "article": article, "marked_text": marked, "facts": facts, "entities": entities,
        "pending": sum(c.is_pending for c in candidates),
    })


def _done(request: HttpRequest, candidate: Candidate) -> HttpResponse:
    return redirect(f"{candidate.article.get_absolute_url()}#candidate-{candidate.pk}")


@staff_member_required
@require_POST
def candidate_accept(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(Candidate.objects.select_related("article"), pk=pk)
    try:
        record = services.accept_candidate(candidate, by=request.user)
    except ValidationError as exc:
        # What was read is not enough to store: the form shows why, next to the field to fix.
        form = CandidateForm.as_read(candidate)
        form.add_errors(exc)
        return render(request, "news/candidate_form.html", {"candidate": candidate, "form": form}, status=400)
    messages.success(request, _("Accepted: %(record)s") % {"record": record})
    return _done(request, candidate)


@staff_member_required
@require_POST
def candidate_reject(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(Candidate.objects.select_related("article"), pk=pk)
    try:
        services.reject_candidate(candidate, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _done(request, candidate)


@staff_member_required
def candidate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(Candidate.objects.select_related("article"), pk=pk)
    if request.method == "POST":
        form = CandidateForm(request.POST, candidate=candidate)
        if form.is_valid():
            try:
                record = services.accept_candidate(candidate, by=request.user, changes=form.changes())
            except ValidationError as exc:
                form.add_errors(exc)
            else:
                messages.success(request, _("Accepted: %(record)s") % {"record": record})
                return _done(request, candidate)
        return render(request, "news/candidate_form.html", {"candidate": candidate, "form": form}, status=400)
    form = CandidateForm(candidate=candidate)
    return render(request, "news/candidate_form.html", {"candidate": candidate, "form": form})


@staff_member_required
def upload(request: HttpRequest) -> HttpResponse:
    """Upload an article or a feed; extraction takes a while, so it runs as a background job."""
    from silkbridge.jobs.dispatch import start_job
    from silkbridge.jobs.progress import keep_upload
    from silkbridge.news import tasks

    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        copy = keep_upload(upload_file)
        job = start_job("news ingest", tasks.ingest_file, copy, upload_file.name)
        return redirect("news:job", job_id=job.pk)
    return render(request, "news/upload.html", {"form": form})


@staff_member_required
def job(request: HttpRequest, job_id: int) -> HttpResponse:
    from silkbridge.jobs.models import Job

    found = get_object_or_404(Job, pk=job_id, name="news ingest")
    return render(request, "news/job.html", {"job": found, "running": found.status in ("queued", "running")})
