"""Background jobs of the outcomes app: importing an uploaded reference file, reporting through the Job row."""
from __future__ import annotations

from pathlib import Path

IMPORTERS = {"sister-cities": "import_sister_cities", "investments": "import_investments"}


def import_file(job_id: int, kind: str, path: str, dry_run: bool = False) -> dict:
    from silkbridge.directory.tabular import TableError
    from silkbridge.outcomes import services
    from silkbridge.web.tasks import run_on_upload

    importer = getattr(services, IMPORTERS[kind])
    report, result = run_on_upload(
        job_id, path, Path(path).name, lambda p, progress: importer(p, dry_run=dry_run, progress=progress),
        unit="rows", what="import", expected=(TableError,))
    if result is None:
        return {}
    summary = result.as_dict() | {"dry_run": dry_run, "kind": kind}
    verb = "would import" if dry_run else "imported"
    report.done(summary, message=f"{verb} {result.imported} rows: {result.created} created, {result.updated} updated, "
                                 f"{result.unchanged} unchanged; {len(result.rejected)} rejected")
    return summary
