"""Factories for outcome tests: reference data, a user, and records saved through the write path."""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def eager_tasks(settings):
    settings.TASKS_EAGER = True


@pytest.fixture
def staff(db, client):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("editor", password="pw-for-tests", is_staff=True)
    client.force_login(user)
    return user


@pytest.fixture
def city(reference):
    from silkbridge.directory.models import City

    def find(name: str, country: str) -> City:
        return City.objects.get(country_id=country, name_en=name)

    return find


@pytest.fixture
def forum(db):
    from datetime import date

    from silkbridge.forums import services

    return services.create_forum(name="Outcome Forum", starts_on=date(2026, 6, 1), tables=2)
