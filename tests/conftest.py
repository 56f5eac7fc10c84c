"""Test set-up: reference data that survives transactional tests (the data dir: silkbridge.testing)."""
from __future__ import annotations

import pytest


@pytest.fixture
def reference(db):
    """Countries, cities and NACE sectors, as `silkbridge init` loads them."""
    from silkbridge.directory.models import Country
    from silkbridge.directory.services import load_reference_data

    if not Country.objects.exists():
        load_reference_data()


@pytest.fixture
def make_org(reference):
    """Create or update organisations through the one write path, from import-style rows."""
    from silkbridge.directory import services
    from silkbridge.directory.models import Organisation

    def make(**row):
        row.setdefault("kind", "company")
        row.setdefault("country", "RS")
        record, errors = services.validate_row({k: str(v) for k, v in row.items()}, services.Lookups())
        assert errors == []
        services.upsert([(0, record)])
        return Organisation.objects.get(external_id=record.external_id)

    return make


@pytest.fixture(autouse=True)
def _no_stray_background_threads(settings):
    """Background tasks are dropped unless a test asks for them with `settings.TASKS_EAGER = True`."""
    settings.TASKS_SKIP = True


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Most tests write inside a transaction that never commits, so the page cache would never see the write;
    the page cache's own tests turn it on with committed (transactional) writes."""
    settings.PAGE_CACHE_SECONDS = 0


CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def chromium_path() -> str | None:
    import shutil
    from pathlib import Path

    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture
def chromium(monkeypatch):
    """Debian's Chromium, headless, driven by Playwright (which downloads no browser of its own)."""
    executable = chromium_path()
    if executable is None:
        pytest.skip("no chromium binary found (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls stay synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
