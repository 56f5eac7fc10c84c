"""An on-disk embedding cache for the benchmarks (bench/out/, keyed like the engine's cache), so reruns do not re-encode."""
from __future__ import annotations

import os
import pickle
from collections.abc import Mapping, Sequence

import numpy as np

DEFAULT = os.path.join(os.path.dirname(__file__), "out", "embeddings.pkl")


class DiskCache:
    """``EmbeddingCache`` over one pickle file of ``{text_key: float32 vector}``; written after each ``put_many``."""

    def __init__(self, path: str = DEFAULT):
        self.path = path
        self._data: dict[str, np.ndarray] = {}
        if os.path.exists(path):
            with open(path, "rb") as fh:
                self._data = pickle.load(fh)

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        return {k: self._data[k] for k in keys if k in self._data}

    def put_many(self, items: Mapping[str, np.ndarray]) -> None:
        if not items:
            return
        self._data.update({k: np.asarray(v, dtype=np.float32) for k, v in items.items()})
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        tmp = self.path + ".tmp"
        with open(tmp, "wb") as fh:
            pickle.dump(self._data, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.path)
