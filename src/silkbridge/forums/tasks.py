"""Background jobs of the forums app: thin wrappers taking ids, reporting progress through the Job row."""
from __future__ import annotations


def schedule_forum(job_id: int, forum_id: int, time_limit: float = 10.0) -> dict:
    from django.utils.translation import gettext_noop

    from silkbridge.forums import services
    from silkbridge.forums.models import Forum
    from silkbridge.jobs.progress import JobReporter
    from silkbridge.jobs.text import JobText

    report = JobReporter(job_id)
    try:
        forum = Forum.objects.get(pk=forum_id)
        result = services.schedule_forum(forum, time_limit=time_limit, progress=report.progress)
    except services.ForumError as exc:
        report.failed(str(exc))
        return {}
    except Exception as exc:
        report.failed(JobText(gettext_noop("the scheduler failed: %(error)s"), error=str(exc)))
        raise
    summary = result.as_dict()
    report.done(summary, message=JobText(
        gettext_noop("%(placed)s meetings placed, %(unplaced)s not placed, %(breaks)s breaks (%(status)s)"),
        placed=result.placed, unplaced=result.unplaced, breaks=result.breaks, status=result.status))
    return summary


def send_agendas(version_id: int) -> dict:
    import logging

    from silkbridge.forums import agendas
    from silkbridge.forums.models import ScheduleVersion

    version = ScheduleVersion.objects.select_related("forum").get(pk=version_id)
    report = agendas.send_agendas(version)
    logging.getLogger("silkbridge.forums").info(
        "%s, version %s: agendas e-mailed for %d participants; no address for %s", version.forum.slug,
        version.number, len(report.sent), ", ".join(report.without_address) or "none")
    return {"sent": list(report.sent), "without_address": list(report.without_address)}


def import_file(job_id: int, forum_id: int, kind: str, path: str, filename: str, dry_run: bool = False) -> dict:
    """Import participants (inviting their delegates) or pairings from an uploaded copy; the rejected
    rows are kept as a CSV to fix and upload again."""
    from django.utils.translation import gettext_noop

    from silkbridge.directory import tabular
    from silkbridge.directory.tasks import (
        IMPORT_FAILED,
        IMPORTED_ROWS,
        ROWS_COUNTED,
        import_report,
        rejects_path,
    )
    from silkbridge.forums import imports
    from silkbridge.forums.models import Forum
    from silkbridge.jobs.progress import run_on_upload

    forum = Forum.objects.get(pk=forum_id)
    rejects = rejects_path(job_id)
    invited = 0

    def work(p, progress):
        nonlocal invited
        if kind == "pairings":
            return imports.import_pairings(forum, p, dry_run=dry_run, rejects=rejects)
        result, invited = imports.import_participants(forum, p, dry_run=dry_run, progress=progress, rejects=rejects)
        return result

    report, result = run_on_upload(job_id, path, filename, work, counted=ROWS_COUNTED, failure=IMPORT_FAILED,
                                   expected=(tabular.TableError,))
    if result is None:
        return {}
    if not result.rejected:
        rejects.unlink(missing_ok=True)
    from django.conf import settings

    summary = result.as_dict(max_rejects=settings.MAX_REPORTED_REJECTS) | {"dry_run": dry_run, "unknown_columns": result.unknown_columns, "file": filename,
                                  "kind": kind, "invited": invited}
    template = (gettext_noop("checked %(imported)s rows: %(created)s created, %(updated)s updated, %(unchanged)s "
                             "unchanged; %(rejected)s rejected") if dry_run else IMPORTED_ROWS)
    report.done(summary, message=import_report(template, result))
    return summary
