"""Each test starts in English: a request in another language leaves that language active in the thread."""
import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield
