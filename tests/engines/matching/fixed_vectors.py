"""An encoder of fixed vectors, so a scoring test can place texts exactly where it needs them."""
import numpy as np


class VectorEncoder:
    """Returns the vector the table gives each text."""

    name = "vectors"
    dim = 6

    def __init__(self, table):
        self.table = table

    def encode_queries(self, texts):
        return np.stack([self.table[t] for t in texts]).astype(np.float32)

    encode_passages = encode_queries


def unit(*xs):
    """A unit vector of ``VectorEncoder.dim`` components, the first ones ``xs``."""
    v = np.zeros(VectorEncoder.dim)
    v[: len(xs)] = xs
    return v / np.linalg.norm(v)
