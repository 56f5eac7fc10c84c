"""Background jobs of the forums app: thin wrappers taking ids, reporting progress through the Job row."""
from __future__ import annotations


def schedule_forum(job_id: int, forum_id: int, time_limit: float = 10.0) -> dict:
    from silkbridge.forums import services
    from silkbridge.forums.models import Forum
    from silkbridge.web.tasks import JobReporter

    report = JobReporter(job_id)
    try:
        forum = Forum.objects.get(pk=forum_id)
        result = services.schedule_forum(forum, time_limit=time_limit, progress=report.progress)
    except services.ForumError as exc:
        report.failed(str(exc))
        return {}
    except Exception as exc:
        report.failed(f"the scheduler failed: {exc}")
        raise
    summary = result.as_dict()
    report.done(summary, message=f"{result.placed} meetings placed, {result.unplaced} not placed, "
                                 f"{result.breaks} breaks ({result.status})")
    return summary
