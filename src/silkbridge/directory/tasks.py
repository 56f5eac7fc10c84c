"""Background jobs of the directory: importing an uploaded member list, reporting through the Job row."""
from __future__ import annotations

from pathlib import Path


def rejects_path(job_id: int) -> Path:
    from django.conf import settings

    return Path(settings.DATA_DIR) / "uploads" / f"rejects-{job_id}.csv"


def import_file(job_id: int, path: str, filename: str, dry_run: bool = False) -> dict:
    """Import ``path`` (a copy of the upload ``filename``); the rejected rows are kept as a CSV to fix and re-import."""
    from django.utils.translation import gettext_noop

    from silkbridge.directory import services, tabular
    from silkbridge.web.tasks import IMPORT_FAILED, IMPORTED_ROWS, ROWS_COUNTED, import_report, run_on_upload

    rejects = rejects_path(job_id)
    report, result = run_on_upload(
        job_id, path, filename,
        lambda p, progress: services.import_organisations(p, dry_run=dry_run, rejects=rejects, progress=progress),
        counted=ROWS_COUNTED, failure=IMPORT_FAILED,
        expected=(tabular.TableError,))
    if result is None:
        return {}
    if not result.rejected:
        rejects.unlink(missing_ok=True)
    from django.conf import settings

    summary = result.as_dict(max_rejects=settings.MAX_REPORTED_REJECTS) | {"dry_run": dry_run, "unknown_columns": result.unknown_columns, "file": filename}
    template = (gettext_noop("checked %(imported)s rows: %(created)s created, %(updated)s updated, %(unchanged)s "
                             "unchanged; %(rejected)s rejected") if dry_run else
                IMPORTED_ROWS)
    report.done(summary, message=import_report(template, result))
    return summary
