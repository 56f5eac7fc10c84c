"""Background job of the news app: ingesting an uploaded file, reporting through the Job row."""
from __future__ import annotations

from pathlib import Path


def ingest_file(job_id: int, path: str, name: str = "") -> dict:
    from django.utils.translation import gettext_noop

    from silkbridge.jobs.progress import run_on_upload
    from silkbridge.jobs.text import JobText
    from silkbridge.news.services import ingest_path

    report, result = run_on_upload(job_id, path, name or Path(path).name,
                                   lambda p, progress: ingest_path(p, progress=progress),
                                   counted=gettext_noop("%(done)s of %(total)s articles"),
                                   failure=gettext_noop("the ingest failed: %(error)s"))
    summary = result.as_dict()
    # The temporary copy's name means nothing to the person who uploaded the file.
    summary["errors"] = [e.replace(path, name or Path(path).name) for e in summary["errors"]]
    summary["articles"] = [{**a, "source": name} for a in summary["articles"]]
    report.done(summary, message=JobText(
        gettext_noop("%(new)s new article(s), %(duplicates)s duplicate(s), %(candidates)s candidate(s) to review"),
        new=result.new, duplicates=result.duplicates, candidates=result.candidates))
    return summary
