"""Background jobs of the directory: importing an uploaded member list, reporting through the Job row."""
from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_noop

from silkbridge.jobs.text import JobText

# Messages shared by the table imports (the directory's and the outcomes app's).
ROWS_COUNTED = gettext_noop("%(done)s of %(total)s rows")
IMPORT_FAILED = gettext_noop("the import failed: %(error)s")
IMPORTED_ROWS = gettext_noop("imported %(imported)s rows: %(created)s created, %(updated)s updated, %(unchanged)s "
                             "unchanged; %(rejected)s rejected")


def import_report(template: str, result) -> JobText:
    """The closing line of a table import (directory or outcomes): ``template`` with the counts of ``result``."""
    return JobText(template, imported=result.imported, created=result.created, updated=result.updated,
                   unchanged=result.unchanged, rejected=len(result.rejected))


def rejects_path(job_id: int) -> Path:
    from django.conf import settings

    return Path(settings.DATA_DIR) / "uploads" / f"rejects-{job_id}.csv"


def import_file(job_id: int, path: str, filename: str, dry_run: bool = False) -> dict:
    """Import ``path`` (a copy of the upload ``filename``); the rejected rows are kept as a CSV to fix and re-import."""
    from silkbridge.directory import services, tabular
    from silkbridge.jobs.progress import run_on_upload

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
    summary = result.as_dict() | {"dry_run": dry_run, "unknown_columns": result.unknown_columns, "file": filename}
    template = (gettext_noop("checked %(imported)s rows: %(created)s created, %(updated)s updated, %(unchanged)s "
                             "unchanged; %(rejected)s rejected") if dry_run else
                IMPORTED_ROWS)
    report.done(summary, message=import_report(template, result))
    return summary
