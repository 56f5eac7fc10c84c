"""Background jobs of the outcomes app: importing an uploaded reference file, reporting through the Job row."""
from __future__ import annotations

from pathlib import Path


def import_file(job_id: int, kind: str, path: str, dry_run: bool = False) -> dict:
    from django.utils.translation import gettext_noop

    from silkbridge.directory.tabular import TableError
    from silkbridge.directory.tasks import IMPORT_FAILED, IMPORTED_ROWS, ROWS_COUNTED, import_report
    from silkbridge.jobs.progress import run_on_upload
    from silkbridge.outcomes import services

    importer = {"sister-cities": services.import_sister_cities, "investments": services.import_investments}[kind]
    report, result = run_on_upload(
        job_id, path, Path(path).name, lambda p, progress: importer(p, dry_run=dry_run, progress=progress),
        counted=ROWS_COUNTED, failure=IMPORT_FAILED,
        expected=(TableError,))
    if result is None:
        return {}
    summary = result.as_dict() | {"dry_run": dry_run, "kind": kind}
    template = (gettext_noop("would import %(imported)s rows: %(created)s created, %(updated)s updated, "
                             "%(unchanged)s unchanged; %(rejected)s rejected") if dry_run else
                IMPORTED_ROWS)
    report.done(summary, message=import_report(template, result))
    return summary
