"""The demo "China–CEEC SME Cooperation Forum": fictional organisations in their own languages.

`load_demo()` runs once per database (a `Flag` remembers it), so edits made in the
demo are never overwritten by a restart. Each app loads its own part (its `demo` module);
this package runs them in order.
"""
from __future__ import annotations

from collections.abc import Callable

from silkbridge.directory.demo import DEMO_PASSWORD, DEMO_USER, Say, load_directory, organisations

DEMO_FLAG = "demo-loaded"
__all__ = ["DEMO_FLAG", "DEMO_PASSWORD", "DEMO_USER", "load_demo", "load_directory", "organisations", "steps"]


def steps() -> list[tuple[str, Callable[[Say], int]]]:
    """(label, function) for each part of the demo, in loading order; a function takes `say` and returns a count."""
    from silkbridge.forums.demo import load_demo_forum
    from silkbridge.matching.demo import load_demo_matches
    from silkbridge.news.demo import load_demo_news
    from silkbridge.outcomes.demo import load_demo_outcomes

    return [
        ("organisations", load_directory),
        ("recommendations", load_demo_matches),
        ("scheduled meetings", load_demo_forum),
        ("outcome records", load_demo_outcomes),
        ("news articles", load_demo_news),
    ]


def load_demo(progress: Say | None = None, *, force: bool = False) -> dict[str, int]:
    """Load the demo once; returns what was loaded (empty when it was already there)."""
    from silkbridge.jobs.models import Flag

    say = progress or (lambda _msg: None)
    if not force and Flag.objects.filter(key=DEMO_FLAG).exists():
        say("demo data already loaded")
        return {}
    summary: dict[str, int] = {}
    for label, load in steps():
        summary[label] = load(say)
    Flag.objects.update_or_create(key=DEMO_FLAG, defaults={"value": summary})
    return summary
