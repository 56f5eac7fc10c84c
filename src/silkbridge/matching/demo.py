"""The demo's recommendation table: every demo organisation's best partners, stored for the site."""
from __future__ import annotations

from collections.abc import Callable

Say = Callable[[str], None]


def load_demo_matches(say: Say, top: int = 10) -> int:
    """Embed the demo profiles (cached texts are skipped) and store everyone's matches; returns stored rows."""
    from . import services
    from .models import MatchResult

    say("computing recommended partners…")
    started: set[str] = set()
    finished: set[str] = set()

    def progress(stage: str, done: int, total: int) -> None:
        # Say each stage once at the start and once at the end: `say` writes whole lines.
        if stage not in started:
            started.add(stage)
            say(f"{stage}: {total} to do")
        if done >= total and stage not in finished:
            finished.add(stage)
            say(f"{stage}: done")

    results = services.compute_matches(None, top, progress=progress)
    rows = MatchResult.objects.filter(organisation_id__in=list(results)).count()
    say(f"{rows} recommendations for {len(results)} organisations")
    return rows
