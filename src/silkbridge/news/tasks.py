"""Background job of the news app: ingesting an uploaded file, reporting through the Job row."""
from __future__ import annotations

from pathlib import Path


def ingest_file(job_id: int, path: str, name: str = "") -> dict:
    from silkbridge.news.services import ingest_path
    from silkbridge.web.tasks import JobReporter

    report = JobReporter(job_id)
    try:
        result = ingest_path(path, progress=lambda done, total: report.progress(
            done / total if total else 1.0, f"{done} of {total} articles"))
    except Exception as exc:
        report.failed(f"the ingest failed: {exc}")
        raise
    finally:
        # The upload was copied for this job alone.
        Path(path).unlink(missing_ok=True)
    summary = result.as_dict()
    # The temporary copy's name means nothing to the person who uploaded the file.
    summary["errors"] = [e.replace(path, name or Path(path).name) for e in summary["errors"]]
    summary["articles"] = [{**a, "source": name} for a in summary["articles"]]
    report.done(summary, message=f"{result.new} new article(s), {result.duplicates} duplicate(s), "
                                 f"{result.candidates} candidate(s) to review")
    return summary
