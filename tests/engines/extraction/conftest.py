"""Shared helpers for extraction tests: the English pipeline is loaded once per session by the engine's cache."""
from __future__ import annotations

import datetime as dt

import pytest

from silkbridge.engines.extraction import Article, Extraction, extract


@pytest.fixture(scope="session")
def read():
    def run(text: str, published: dt.date | None = None, **kw) -> Extraction:
        return extract(Article(text=text, published=published, **kw))

    return run
