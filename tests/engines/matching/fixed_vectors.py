"""An encoder of fixed vectors, so a scoring test can place texts exactly where it needs them."""
import re

import numpy as np

_CONTEXT = re.compile(r"^\[[^\]]*\] ")


class VectorEncoder:
    """Returns the vector the table gives each text.

    The organisation's kind and sectors that the matcher puts in front of offers
    (``MatchConfig.supply_context``) are set aside: the table names the texts alone.
    The prefixes read are kept in ``contexts``.
    """

    name = "vectors"
    dim = 6

    def __init__(self, table):
        self.table = table
        self.contexts = []

    def encode_queries(self, texts):
        rows = []
        for t in texts:
            m = _CONTEXT.match(t)
            if m and t not in self.table:
                self.contexts.append(m.group(0))
                t = t[m.end():]
            rows.append(self.table[t])
        return np.stack(rows).astype(np.float32)

    encode_passages = encode_queries


def unit(*xs):
    """A unit vector of ``VectorEncoder.dim`` components, the first ones ``xs``."""
    v = np.zeros(VectorEncoder.dim)
    v[: len(xs)] = xs
    return v / np.linalg.norm(v)
