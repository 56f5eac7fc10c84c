import numpy as np

from silkbridge.engines.matching import VectorIndex


def _vectors(n, dim=64, seed=0):
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((20, dim))
    v = centres[rng.integers(0, 20, n)] + 0.5 * rng.standard_normal((n, dim))
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


def test_exact_and_approximate_search_agree_on_small_data():
    v = _vectors(2000)
    exact = VectorIndex(64, kind="exact")
    approx = VectorIndex(64, kind="hnsw")
    exact.add(np.arange(2000), v)
    approx.add(np.arange(2000), v)
    q = v[:50]
    ids_e, sc_e = exact.search(q, 10)
    ids_a, sc_a = approx.search(q, 10)
    recall = np.mean([len(set(a) & set(e)) / 10 for a, e in zip(ids_a, ids_e)])
    assert recall >= 0.98
    assert ids_e[:, 0].tolist() == list(range(50))
    assert np.allclose(sc_e[:, 0], 1.0, atol=1e-5)
    # The graph search may miss a neighbour now and then, but every score it returns is the true
    # cosine of that pair (within the half-precision storage's error).
    true_scores = np.einsum("qd,qkd->qk", q, v[ids_a])
    assert np.allclose(sc_a, true_scores, atol=2e-3)


def test_auto_index_switches_to_hnsw_past_its_limit():
    v = _vectors(300)
    index = VectorIndex(64, exact_limit=200)
    index.add(np.arange(150), v[:150])
    assert not index.is_approximate
    index.add(np.arange(150, 300), v[150:])
    assert index.is_approximate
    assert len(index) == 300


def test_search_on_fewer_vectors_than_k_pads_with_minus_one():
    index = VectorIndex(64, kind="exact")
    index.add([7, 9], _vectors(2))
    ids, _ = index.search(_vectors(2)[0], 4)
    assert ids.tolist() == [7, 9, -1, -1]


def test_incremental_add_and_remove_by_id():
    v = _vectors(100)
    for kind in ("exact", "hnsw"):
        index = VectorIndex(64, kind=kind)
        index.add(np.arange(100), v)
        assert index.remove([5, 6, 999]) == 2
        assert (5 in index, 6 in index, len(index)) == (False, False, 98)
        ids, _ = index.search(v[5], 1)
        assert ids[0] != 5
        index.add([5], v[6:7])  # re-adding an id replaces its vector
        ids, _ = index.search(v[6], 2)
        assert sorted(ids.tolist()) == [5, 6] or ids[0] == 5


def test_persistence_round_trip_keeps_results(tmp_path):
    v = _vectors(500)
    for kind in ("exact", "hnsw"):
        index = VectorIndex(64, kind=kind)
        index.add(np.arange(1000, 1500), v)
        index.remove([1000])
        before = index.search(v[:20], 5)
        index.save(str(tmp_path / kind))
        loaded = VectorIndex.load(str(tmp_path / kind))
        after = loaded.search(v[:20], 5)
        assert len(loaded) == 499
        assert after[0].tolist() == before[0].tolist()
        assert np.allclose(after[1], before[1], atol=1e-6)
        loaded.add([2000], v[:1])
        assert 2000 in loaded
