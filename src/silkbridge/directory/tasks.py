"""Background jobs of the directory: importing an uploaded member list, reporting through the Job row."""
from __future__ import annotations

from pathlib import Path


def rejects_path(job_id: int) -> Path:
    from django.conf import settings

    return Path(settings.DATA_DIR) / "uploads" / f"rejects-{job_id}.csv"


def import_file(job_id: int, path: str, filename: str, dry_run: bool = False) -> dict:
    """Import ``path`` (a copy of the upload ``filename``); the rejected rows are kept as a CSV to fix and re-import."""
    from silkbridge.directory import services, tabular
    from silkbridge.web.tasks import JobReporter

    report = JobReporter(job_id)
    rejects = rejects_path(job_id)
    try:
        result = services.import_organisations(
            path, dry_run=dry_run, rejects=rejects,
            progress=lambda done, total: report.progress(done / total if total else 1.0, f"{done} of {total} rows"),
        )
    except tabular.TableError as exc:
        report.failed(str(exc).replace(path, filename))
        return {}
    except Exception as exc:
        report.failed(f"the import failed: {exc}")
        raise
    finally:
        Path(path).unlink(missing_ok=True)  # the upload was copied for this job alone
    if not result.rejected:
        rejects.unlink(missing_ok=True)
    summary = result.as_dict() | {"dry_run": dry_run, "unknown_columns": result.unknown_columns, "file": filename}
    verb = "checked" if dry_run else "imported"
    report.done(summary, message=f"{verb} {result.imported} rows: {result.created} created, {result.updated} updated, "
                                 f"{result.unchanged} unchanged; {len(result.rejected)} rejected")
    return summary
