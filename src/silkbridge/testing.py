"""A pytest plugin (loaded with `-p silkbridge.testing`) that gives the test run a throw-away data dir.

It must run before pytest-django reads the settings, which a conftest.py is too late for.
"""
from __future__ import annotations

import os
import shutil
import tempfile

import pytest

_created: str | None = None


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    global _created
    if not os.environ.get("SILKBRIDGE_DATA_DIR"):
        _created = tempfile.mkdtemp(prefix="silkbridge-test-")
        os.environ["SILKBRIDGE_DATA_DIR"] = _created


def pytest_unconfigure(config):
    if _created:
        shutil.rmtree(_created, ignore_errors=True)
