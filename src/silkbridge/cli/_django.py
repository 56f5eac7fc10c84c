"""Start Django once for commands that need the database."""
from __future__ import annotations

import os

_ready = False


def setup() -> None:
    global _ready
    if _ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "silkbridge.web.settings")
    import django

    django.setup()
    _ready = True
