"""A vector index by id: exact numpy search for small collections, HNSW (usearch) above a threshold.

Both kinds persist to a directory and take incremental adds and removals, so a
directory of any size can be kept current without rebuilding.
"""
from __future__ import annotations

import json
import os
from collections.abc import Sequence

import numpy as np

EXACT_LIMIT = 20_000


class VectorIndex:
    """Cosine (inner product on normalised rows) search over vectors keyed by integer ids.

    ``kind="auto"`` stays exact up to ``exact_limit`` vectors and switches to HNSW
    when the collection grows past it; below that size exact search is already fast
    and has perfect recall.
    """

    def __init__(
        self,
        dim: int,
        *,
        kind: str = "auto",
        exact_limit: int = EXACT_LIMIT,
        connectivity: int = 16,
        expansion_add: int = 128,
        expansion_search: int = 256,
        dtype: str = "f16",
    ):
        if kind not in ("auto", "exact", "hnsw"):
            raise ValueError(f"unknown index kind {kind!r}")
        self.dim = dim
        self.kind = kind
        self.exact_limit = exact_limit
        self.params = dict(
            connectivity=connectivity, expansion_add=expansion_add, expansion_search=expansion_search, dtype=dtype
        )
        self._ids = np.zeros(0, dtype=np.int64)
        self._vecs = np.zeros((0, dim), dtype=np.float32)
        self._pos: dict[int, int] = {}
        self._hnsw = None

    # ------------------------------------------------------------------ state
    def __len__(self) -> int:
        return len(self._hnsw) if self._hnsw is not None else len(self._ids)

    def __contains__(self, key: int) -> bool:
        if self._hnsw is not None:
            return int(key) in self._hnsw
        return int(key) in self._pos

    @property
    def is_approximate(self) -> bool:
        return self._hnsw is not None

    def _new_hnsw(self):
        from usearch.index import Index

        p = self.params
        return Index(
            ndim=self.dim,
            metric="ip",
            dtype=p["dtype"],
            connectivity=p["connectivity"],
            expansion_add=p["expansion_add"],
            expansion_search=p["expansion_search"],
        )

    def _to_hnsw(self) -> None:
        index = self._new_hnsw()
        if len(self._ids):
            index.add(self._ids, self._vecs)
        self._hnsw = index
        self._ids = np.zeros(0, dtype=np.int64)
        self._vecs = np.zeros((0, self.dim), dtype=np.float32)
        self._pos = {}

    # ---------------------------------------------------------------- updates
    def add(self, ids: Sequence[int], vectors: np.ndarray) -> None:
        """Insert or replace vectors (rows L2-normalised by the caller)."""
        ids = np.asarray(ids, dtype=np.int64).reshape(-1)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(ids), self.dim)
        if len(set(ids.tolist())) != len(ids):
            raise ValueError("duplicate ids in one add() call")
        self.remove([i for i in ids.tolist() if i in self])
        if self._hnsw is None and (
            self.kind == "hnsw" or (self.kind == "auto" and len(self._ids) + len(ids) > self.exact_limit)
        ):
            self._to_hnsw()
        if self._hnsw is not None:
            if len(ids):
                self._hnsw.add(ids, vectors)
            return
        start = len(self._ids)
        self._ids = np.concatenate([self._ids, ids])
        self._vecs = np.concatenate([self._vecs, vectors])
        for j, i in enumerate(ids.tolist()):
            self._pos[i] = start + j

    def remove(self, ids: Sequence[int]) -> int:
        """Delete ids that are present; returns how many were removed."""
        ids = [int(i) for i in ids if int(i) in self]
        if not ids:
            return 0
        if self._hnsw is not None:
            self._hnsw.remove(ids)
            return len(ids)
        drop = np.array([self._pos[i] for i in ids], dtype=np.int64)
        keep = np.ones(len(self._ids), dtype=bool)
        keep[drop] = False
        self._ids = self._ids[keep]
        self._vecs = self._vecs[keep]
        self._pos = {int(i): j for j, i in enumerate(self._ids.tolist())}
        return len(ids)

    # ----------------------------------------------------------------- search
    def search(self, queries: np.ndarray, k: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """Top ``k`` ids and cosine scores per query row; ids are -1 where fewer exist."""
        q = np.ascontiguousarray(queries, dtype=np.float32)
        single = q.ndim == 1
        q = q.reshape(-1, self.dim)
        n = len(self)
        k_eff = min(k, n)
        ids = np.full((len(q), k), -1, dtype=np.int64)
        scores = np.full((len(q), k), -np.inf, dtype=np.float32)
        if k_eff == 0:
            return (ids[0], scores[0]) if single else (ids, scores)
        if self._hnsw is not None:
            res = self._hnsw.search(q, k_eff)
            keys = np.asarray(res.keys, dtype=np.int64).reshape(len(q), -1)
            dist = np.asarray(res.distances, dtype=np.float32).reshape(len(q), -1)
            counts = np.asarray(res.counts).reshape(-1) if hasattr(res, "counts") else [keys.shape[1]]
            for r in range(len(q)):
                c = int(counts[r])
                ids[r, :c] = keys[r, :c]
                scores[r, :c] = 1.0 - dist[r, :c]  # usearch "ip" distance is 1 - dot
        else:
            sims = q @ self._vecs.T
            top = np.argpartition(-sims, k_eff - 1, axis=1)[:, :k_eff]
            part = np.take_along_axis(sims, top, axis=1)
            order = np.argsort(-part, axis=1, kind="stable")
            top = np.take_along_axis(top, order, axis=1)
            ids[:, :k_eff] = self._ids[top]
            scores[:, :k_eff] = np.take_along_axis(sims, top, axis=1)
        return (ids[0], scores[0]) if single else (ids, scores)

    def memory_bytes(self) -> int:
        if self._hnsw is not None:
            return int(self._hnsw.memory_usage)
        return int(self._vecs.nbytes + self._ids.nbytes)

    # ------------------------------------------------------------ persistence
    def save(self, directory: str) -> None:
        os.makedirs(directory, exist_ok=True)
        meta = dict(dim=self.dim, kind=self.kind, exact_limit=self.exact_limit, params=self.params)
        meta["stored"] = "hnsw" if self._hnsw is not None else "exact"
        if self._hnsw is not None:
            self._hnsw.save(os.path.join(directory, "index.usearch"))
        else:
            np.save(os.path.join(directory, "ids.npy"), self._ids)
            np.save(os.path.join(directory, "vectors.npy"), self._vecs)
        tmp = os.path.join(directory, "meta.json.tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(meta, fh)
        os.replace(tmp, os.path.join(directory, "meta.json"))

    @classmethod
    def load(cls, directory: str) -> VectorIndex:
        with open(os.path.join(directory, "meta.json"), encoding="utf-8") as fh:
            meta = json.load(fh)
        index = cls(meta["dim"], kind=meta["kind"], exact_limit=meta["exact_limit"], **meta["params"])
        if meta["stored"] == "hnsw":
            index._hnsw = index._new_hnsw()
            index._hnsw.load(os.path.join(directory, "index.usearch"))
        else:
            index._ids = np.load(os.path.join(directory, "ids.npy"))
            index._vecs = np.load(os.path.join(directory, "vectors.npy"))
            index._pos = {int(i): j for j, i in enumerate(index._ids.tolist())}
        return index
