"""The demo's news: three fictional articles about the demo forum, ingested for the review queue."""
from __future__ import annotations

from collections.abc import Callable
from importlib import resources

Say = Callable[[str], None]


def load_demo_news(say: Say) -> int:
    """Ingest the packaged demo articles (safe to run again: stored ones count as duplicates); returns how many are new."""
    from silkbridge.news.services import ingest_path

    say("reading demo news articles…")
    with resources.as_file(resources.files("silkbridge.news") / "demo_articles") as folder:
        report = ingest_path(folder)
    if report.errors:
        raise ValueError(f"demo news articles could not be read: {report.errors}")
    return report.new
