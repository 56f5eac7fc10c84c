"""Background job of the news app: ingesting an uploaded file, reporting through the Job row."""
from __future__ import annotations

from pathlib import Path


def ingest_file(job_id: int, path: str, name: str = "") -> dict:
    from silkbridge.news.services import ingest_path
    from silkbridge.web.tasks import run_on_upload

    report, result = run_on_upload(job_id, path, name or Path(path).name,
                                   lambda p, progress: ingest_path(p, progress=progress),
                                   unit="articles", what="ingest")
    summary = result.as_dict()
    # The temporary copy's name means nothing to the person who uploaded the file.
    summary["errors"] = [e.replace(path, name or Path(path).name) for e in summary["errors"]]
    summary["articles"] = [{**a, "source": name} for a in summary["articles"]]
    report.done(summary, message=f"{result.new} new article(s), {result.duplicates} duplicate(s), "
                                 f"{result.candidates} candidate(s) to review")
    return summary
