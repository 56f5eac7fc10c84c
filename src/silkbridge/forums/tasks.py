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
