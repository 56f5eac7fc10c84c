"""The review queue in a real headless Chromium: a staff member reads an article and accepts a fact."""
from __future__ import annotations

import pytest

from silkbridge.news import services
from silkbridge.outcomes.models import Agreement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_accepts_a_highlighted_fact_into_an_outcome_record(chromium, live_server, directory, article_file,
                                                                django_user_model):
    django_user_model.objects.create_user("editor", password="pw-news-1", is_staff=True)
    services.ingest_path(article_file)
    assert Agreement.objects.count() == 0  # nothing enters the records before a person confirms it

    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/accounts/login/?next=/news/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw-news-1")
    page.locator("main").get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Medivera Balkan and Meisheng sign ultrasound deal").click()

    assert page.locator(".article-text mark").count() > 0  # extracted spans are highlighted in the text
    fact = page.locator("article.candidate", has_text="memorandum of understanding").first
    fact.get_by_role("button", name="Accept").click()
    page.wait_for_load_state()

    agreement = Agreement.objects.get()
    assert agreement.kind == "mou"
    assert agreement.source_title == "Medivera Balkan and Meisheng sign ultrasound deal"
    assert page.locator("article.candidate--accepted").count() == 1
