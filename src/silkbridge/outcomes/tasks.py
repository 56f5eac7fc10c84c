"""Background jobs of the outcomes app: importing an uploaded reference file, reporting through the Job row."""
from __future__ import annotations

from pathlib import Path

IMPORTERS = {"sister-cities": "import_sister_cities", "investments": "import_investments"}


def import_file(job_id: int, kind: str, path: str, dry_run: bool = False) -> dict:
    from silkbridge.directory.tabular import TableError
    from silkbridge.outcomes import services
    from silkbridge.web.tasks import JobReporter

    report = JobReporter(job_id)
    importer = getattr(services, IMPORTERS[kind])
    try:
        result = importer(path, dry_run=dry_run, progress=lambda done, total: report.progress(
            done / total if total else 1.0, f"{done} of {total} rows"))
    except TableError as exc:
        report.failed(str(exc).replace(path, Path(path).name))
        return {}
    except Exception as exc:
        report.failed(f"the import failed: {exc}")
        raise
    finally:
        # The upload was copied for this job alone.
        Path(path).unlink(missing_ok=True)
    summary = result.as_dict() | {"dry_run": dry_run, "kind": kind}
    verb = "would import" if dry_run else "imported"
    report.done(summary, message=f"{verb} {result.imported} rows: {result.created} created, {result.updated} updated, "
                                 f"{result.unchanged} unchanged; {len(result.rejected)} rejected")
    return summary
