"""Runs the packaged E5 weights outside the C engine: a faithful tokenizer and a PyTorch encoder.

PyTorch is optional; the tokenizer needs only the standard library and numpy.
The PyTorch path keeps activations in float (the C engine rounds them to int8), so
its vectors agree with the C engine's to cosine ≈ 0.99+, and it can run on a GPU.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from .e5_weights import E5Image, load_image

_META = "\u2581"
_SPACES = re.compile(" {2,}")


class E5Tokenizer:
    """SentencePiece-unigram Viterbi segmentation, identical to the C engine's."""

    def __init__(self, image: E5Image):
        self._image = image
        self._pieces = image.pieces
        self._scores = image.scores.tolist()
        self._unk_score = float(image.scores.min()) - 10.0
        self._max = image.max_piece_chars
        self._norm = {cp: out for cp, out in image.norm_table.items()}
        self._word = functools.lru_cache(maxsize=200_000)(self._segment)

    def _segment(self, word: str) -> tuple[int, ...]:
        n = len(word)
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        best[0] = 0.0
        pieces, scores, unk, mx = self._pieces, self._scores, self._image.unk, self._max
        for i in range(n):
            bi = best[i]
            if bi <= -1e29:
                continue
            for e in range(i + 1, min(n, i + mx) + 1):
                idx = pieces.get(word[i:e])
                if idx is not None:
                    sc = bi + scores[idx]
                    if sc > best[e]:
                        best[e] = sc
                        back[e] = (idx, i)
            us = bi + self._unk_score
            if us > best[i + 1]:
                best[i + 1] = us
                back[i + 1] = (unk, i)
        out = []
        i = n
        while i > 0:
            idx, i = back[i]
            out.append(idx)
        out.reverse()
        return tuple(out)

    def content_ids(self, text: str) -> list[int]:
        """Token ids without <s>/</s>, for text that already carries its prefix."""
        text = _SPACES.sub(" ", text.translate(self._norm))
        if not text.startswith(" "):
            text = " " + text
        ids: list[int] = []
        # No vocabulary piece holds the metaspace except at its start, so the
        # Viterbi path splits at every metaspace and words can be memoised.
        for word in text.replace(" ", _META).split(_META)[1:]:
            ids.extend(self._word(_META + word))
        return ids


def windows(ids: Sequence[int], max_positions: int) -> list[tuple[int, int]]:
    width = max_positions - 2
    if not ids:
        return [(0, 0)]
    return [(a, min(a + width, len(ids))) for a in range(0, len(ids), width)]


def length_batches(token_ids: Sequence[Sequence[int]], im: E5Image, batch_tokens: int):
    """The C engine's non-overlapping 510-token windows of every text, sorted by length and cut into
    batches of about ``batch_tokens`` padded tokens (at least one window each).

    Yields ``(owner, ids, lengths, weight)``: the text index of each row, the padded ``[B, L]``
    int64 ids with ``<s>``/``</s>``, the row lengths, and each window's weight in its text's mean.
    """
    segs = []  # (text index, ids with <s> </s>, weight)
    for i, ids in enumerate(token_ids):
        for a, b in windows(ids, im.max_positions):
            segs.append((i, [im.bos, *ids[a:b], im.eos], max(b - a, 1)))
    segs.sort(key=lambda s: len(s[1]))
    start = 0
    while start < len(segs):
        end = start + 1
        while end < len(segs) and (end - start + 1) * len(segs[end][1]) <= batch_tokens:
            end += 1
        chunk = segs[start:end]
        ids = np.zeros((len(chunk), len(chunk[-1][1])), dtype=np.int64)
        for r, (_, seq, _) in enumerate(chunk):
            ids[r, : len(seq)] = seq
        yield (np.array([c[0] for c in chunk]), ids, np.array([len(c[1]) for c in chunk]),
               np.array([float(c[2]) for c in chunk]))
        start = end


class E5Runtime:
    """What the runtimes of the packaged weights share: prefixes, tokenizer, windows and pooling.

    A subclass sets ``image`` and ``tokenizer`` and implements ``_pooled(ids, lengths)``,
    the mean-pooled rows of one padded batch. With ``concurrent_runs`` above one, that
    many batches run at once, each from its own thread (the runtime must allow it).
    """

    image: E5Image
    tokenizer: E5Tokenizer
    batch_tokens = 4096
    concurrent_runs = 1

    def tokenize(self, texts: Sequence[str], is_query: bool) -> list[list[int]]:
        prefix = "query: " if is_query else "passage: "
        return [self.tokenizer.content_ids(prefix + t) for t in texts]

    def _pooled(self, ids: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def encode_ids(self, token_ids: Sequence[Sequence[int]], batch_tokens: int | None = None) -> np.ndarray:
        """L2-normalised vectors; a long text is the length-weighted mean of its windows, as in the C engine."""
        acc = np.zeros((len(token_ids), self.image.hidden), dtype=np.float64)
        batches = list(length_batches(token_ids, self.image, batch_tokens or self.batch_tokens))
        runs = min(self.concurrent_runs, len(batches))
        if runs > 1:
            with ThreadPoolExecutor(runs) as pool:
                pooled = list(pool.map(lambda b: self._pooled(b[1], b[2]), batches))
        else:
            pooled = [self._pooled(ids, lengths) for _, ids, lengths, _ in batches]
        for (owner, _, _, weight), rows in zip(batches, pooled):
            np.add.at(acc, owner, np.asarray(rows, dtype=np.float64) * weight[:, None])
        norms = np.linalg.norm(acc, axis=1, keepdims=True)
        return (acc / np.maximum(norms, 1e-12)).astype(np.float32)

    def encode(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        return self.encode_ids(self.tokenize(texts, is_query))


class TorchE5(E5Runtime):
    """The packaged E5 weights as a PyTorch module, for GPUs or a CPU with PyTorch installed."""

    name = "multilingual-e5-small-q4"
    batch_tokens = 65536

    def __init__(self, device: str = "cpu", dtype: str = "float32", image: E5Image | None = None):
        import torch

        self.torch = torch
        im = image or load_image()
        self.image = im
        self.dim = im.hidden
        self.tokenizer = E5Tokenizer(im)
        self.device = torch.device(device)
        self.dtype = getattr(torch, dtype)
        t = lambda a: torch.from_numpy(np.ascontiguousarray(a)).to(self.device, self.dtype)  # noqa: E731
        T = im.tensors
        self.word = t(T["emb.word"])
        self.pos = t(T["emb.pos"])
        self.type0 = t(T["emb.type"][: im.hidden])
        self.eln = (t(T["emb.ln.w"]), t(T["emb.ln.b"]))
        self.layers = []
        for layer in range(im.layers):
            g = lambda s, layer=layer: T[f"l{layer}.{s}"]  # noqa: E731
            qkv_w = t(np.concatenate([g("q.w"), g("k.w"), g("v.w")], axis=0))
            qkv_b = t(np.concatenate([g("q.b"), g("k.b"), g("v.b")]))
            self.layers.append(
                dict(
                    qkv_w=qkv_w, qkv_b=qkv_b, ao_w=t(g("ao.w")), ao_b=t(g("ao.b")),
                    aln=(t(g("aln.w")), t(g("aln.b"))), fi_w=t(g("fi.w")), fi_b=t(g("fi.b")),
                    fo_w=t(g("fo.w")), fo_b=t(g("fo.b")), oln=(t(g("oln.w")), t(g("oln.b"))),
                )
            )

    def _forward(self, ids, lengths):
        """Mean-pooled (unnormalised) vectors for a padded [B, L] batch."""
        torch = self.torch
        F = torch.nn.functional
        im = self.image
        B, L = ids.shape
        H, NH = im.hidden, im.heads
        mask = torch.arange(L, device=self.device)[None, :] < lengths[:, None]
        x = self.word[ids] + self.pos[:L][None] + self.type0
        x = F.layer_norm(x, (H,), *self.eln, eps=im.eps)
        attn_mask = mask[:, None, None, :]
        for ly in self.layers:
            qkv = F.linear(x, ly["qkv_w"], ly["qkv_b"]).view(B, L, 3, NH, H // NH)
            q, k, v = qkv.unbind(2)
            ctx = F.scaled_dot_product_attention(
                q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2), attn_mask=attn_mask
            )
            ctx = ctx.transpose(1, 2).reshape(B, L, H)
            x = F.layer_norm(x + F.linear(ctx, ly["ao_w"], ly["ao_b"]), (H,), *ly["aln"], eps=im.eps)
            mid = F.gelu(F.linear(x, ly["fi_w"], ly["fi_b"]))
            x = F.layer_norm(x + F.linear(mid, ly["fo_w"], ly["fo_b"]), (H,), *ly["oln"], eps=im.eps)
        m = mask.to(x.dtype)[..., None]
        return (x * m).sum(1).float() / lengths[:, None].float()

    def encode_ids(self, token_ids: Sequence[Sequence[int]], batch_tokens: int | None = None) -> np.ndarray:
        """As :meth:`E5Runtime.encode_ids`, accumulating on the device so batches queue without a sync."""
        torch = self.torch
        acc = torch.zeros(len(token_ids), self.image.hidden, dtype=torch.float64, device=self.device)
        with torch.inference_mode():
            for owner, ids, lengths, weight in length_batches(token_ids, self.image, batch_tokens or self.batch_tokens):
                pooled = self._forward(torch.from_numpy(ids).to(self.device), torch.from_numpy(lengths).to(self.device))
                w = torch.from_numpy(weight).to(self.device)
                acc.index_add_(0, torch.from_numpy(owner).to(self.device), pooled.double() * w[:, None])
        return torch.nn.functional.normalize(acc, dim=1).float().cpu().numpy()
