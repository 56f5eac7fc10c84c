"""Settings refuse a PostgreSQL URL without its driver with a sentence that says what to install."""
import pytest
from django.core.exceptions import ImproperlyConfigured

from silkbridge.web import config


def test_a_postgres_url_without_psycopg_names_the_extra_to_install(monkeypatch):
    import importlib.util

    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    with pytest.raises(ImproperlyConfigured, match=r"psycopg is not installed.*\.\[postgres\]"):
        config.check_database_driver("django.db.backends.postgresql")
    config.check_database_driver("django.db.backends.sqlite3")  # SQLite needs nothing more
