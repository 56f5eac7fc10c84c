"""Scores every pair of prepared profiles with matrix operations and explains the best pairs.

Text-to-text similarities can be hubness-corrected (CSLS, see ``Calibration.hubness``):
each cosine compared with how close the two texts usually are to the rest of the
directory. With a small multilingual encoder, raw cosines are dominated by topic and by
language pairs (some texts and some languages sit close to everything). The shipped
configuration makes that correction at the level of organisations instead (below), and
lets the cosines of single texts stand. Offers and descriptions
are read with the organisation's kind and sectors in front (``MatchConfig.supply_context``),
so what a city, a fund or a park offers carries what it is; needs are read partly so
(``MatchConfig.need_context_share``). The radii are computed once
per directory in ``_build`` (vectorised, in blocks), so ``match_one`` and ``match_all``
agree and scores stay symmetric.

The same correction is applied one level up, twice, at strength 2: to each direction
of the need↔offer fit (a need that every supplier answers a little, a supply that
answers every need a little) and to the combined pair score (an organisation that sits
near everyone). Last, the popularity correction lowers an organisation that many lists
would put near the top (an inverted softmax over who may meet whom, ``_popularity``).
How strong each is, and the shares of the other parts, were chosen leave one set out on
the evaluation sets (see ``scoring`` and ``model.Weights``).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from silkbridge.engines.language import detect_iso as detect_language
from silkbridge.engines.script import fold

from .encoder import CachedEncoder, EmbeddingCache, Encoder, default_encoder
from .model import Match, MatchConfig, Profile, ProfileId, Reason
from .scoring import FEATURES, Parts, allowed_matrix, calibrate, candidate_counts, combine, features, rerank
from .text import encoder_form, split_chunks, supply_context

Progress = Callable[[int, int], None]
SNIPPET = 60
KEEP_SCORES = 3000
"""Directories up to this many organisations keep their pair scores between passes (72 MB at most)."""
REASON_FLOOR = 0.25
"""Calibrated strength below which a text pair is not worth naming as a reason."""


@dataclass(frozen=True)
class Chunk:
    text: str
    language: str
    source: str  # "need", "offer" or "description"


@dataclass(frozen=True)
class PrepareReport:
    profiles: int
    chunks: int
    encoded: int
    cached: int


def _dot(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """``X @ Y.T`` in float64.

    Float32 products differ in the last bits with the shape of the block (one row in
    ``match_one``, many in ``match_all``), and the calibrated differences of margins
    amplify that to a few 1e-4 points of score, enough to round a score differently;
    in float64 the two agree.
    """
    return X.astype(np.float64) @ Y.astype(np.float64).T


def margin(S: np.ndarray, r_rows: np.ndarray, r_cols: np.ndarray) -> np.ndarray:
    """Cosines less the mean hubness radius of the two texts (CSLS)."""
    return S - 0.5 * (r_rows[:, None] + r_cols[None, :])


def _radii(
    X: np.ndarray, x_owner: np.ndarray, Y: np.ndarray, y_owner: np.ndarray,
    k: int, share: float = 1.0, block: int = 1024,
) -> tuple[np.ndarray, np.ndarray]:
    """Mean cosine of each X row to its nearest Y rows of other owners, and the same for each Y row.

    The neighbourhood is ``k`` texts, but at most ``share`` of the other owners' texts
    (at least one), so that in a small directory it stays local instead of averaging
    over everyone. Vectorised in blocks of X rows: a large directory never holds the
    full matrix.
    """
    rx = np.zeros(len(X), dtype=np.float32)
    ry = np.zeros(len(Y), dtype=np.float32)
    if len(X) == 0 or len(Y) == 0:
        return rx, ry
    own_y = np.bincount(y_owner).max()
    own_x = np.bincount(x_owner).max()
    kx = max(1, min(k, int(np.ceil(share * (len(Y) - own_y)))))
    ky = max(1, min(k, int(np.ceil(share * (len(X) - own_x)))))
    col_best = []
    for i in range(0, len(X), block):
        S = X[i : i + block] @ Y.T
        S[x_owner[i : i + block, None] == y_owner[None, :]] = -np.inf
        rx[i : i + block] = _top_mean(S, kx, axis=1)
        kk = min(ky, len(S))
        col_best.append(np.partition(S, -kk, axis=0)[-kk:])  # each column's best rows in this block
    ry = _top_mean(np.concatenate(col_best), ky, axis=0)
    return rx, ry.astype(np.float32)


def embed_supply(encoder: CachedEncoder, texts: Sequence[str], share: float,
                 progress: Callable[[int], None] | None = None) -> np.ndarray:
    """Supply texts embedded as e5 queries (``share`` 0), passages (1), or the normalised mix of the two."""
    if share == 0.0:
        return encoder.encode_queries(texts, progress)
    if share == 1.0:
        return encoder.encode_passages(texts, progress)
    queries, passages = encoder.encode_both(texts, progress)
    return _mix(queries, passages, share)


def _mix(a: np.ndarray, b: np.ndarray, share: float) -> np.ndarray:
    """Rows of ``(1 - share) * a + share * b``, normalised."""
    mixed = (1.0 - share) * a + share * b
    return (mixed / np.maximum(np.linalg.norm(mixed, axis=1, keepdims=True), 1e-12)).astype(np.float32)


def _context(p: Profile) -> str:
    """What the encoder reads in front of ``p``'s texts: its kind and sectors (``MatchConfig.supply_context``)."""
    return supply_context(p.kind, p.sector_names or p.sectors)


def _top_mean(S: np.ndarray, k: int, axis: int) -> np.ndarray:
    """Mean of the ``k`` largest finite values along ``axis`` (fewer where fewer are finite)."""
    k = min(k, S.shape[axis])
    top = np.take(np.partition(S, -k, axis=axis), np.arange(S.shape[axis] - k, S.shape[axis]), axis=axis)
    finite = np.isfinite(top)
    count = finite.sum(axis=axis)
    total = np.where(finite, top, 0.0).sum(axis=axis)
    return np.where(count > 0, total / np.maximum(count, 1), 0.0)


def _snippet(text: str) -> str:
    if len(text) <= SNIPPET:
        return text
    cut = text[: SNIPPET - 1]
    space = cut.rfind(" ")
    # Cut at a word boundary where there is one nearby; CJK text has none.
    if space >= SNIPPET - 20:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


class Matcher:
    """Holds embedded profiles and answers who should meet whom.

    >>> m = Matcher(default_encoder())
    >>> m.prepare(profiles)
    >>> m.match_one(42, top=5)
    """

    def __init__(
        self,
        encoder: Encoder | None = None,
        cache: EmbeddingCache | None = None,
        config: MatchConfig | None = None,
    ):
        self.encoder = CachedEncoder(encoder or default_encoder(), cache)
        self.config = config or MatchConfig()
        if self.config.supply_context not in ("kind_sectors", "none"):
            raise ValueError(f"unknown supply_context {self.config.supply_context!r}: 'kind_sectors' or 'none'")
        for name in ("passage_share", "need_context_share"):
            if not 0.0 <= getattr(self.config, name) <= 1.0:
                raise ValueError(f"{name} {getattr(self.config, name)!r} is not between 0 and 1")
        self._profiles: dict[ProfileId, Profile] = {}
        self._chunks: dict[ProfileId, tuple[Chunk, ...]] = {}
        self._vectors: dict[ProfileId, np.ndarray] = {}
        self._languages: dict[ProfileId, tuple[str, ...]] = {}
        self._arrays = None

    # ------------------------------------------------------------ preparation
    def prepare(self, profiles: Iterable[Profile], progress: Progress | None = None) -> PrepareReport:
        """Chunk and embed new or changed profiles; texts already in the cache are not re-encoded."""
        profiles = list(profiles)
        plan = {p.id: self._chunked(p) for p in profiles}
        form = {p.id: self._encoder_forms(p, plan[p.id]) for p in profiles}
        share = self.config.need_context_share if self.config.supply_context == "kind_sectors" else 0.0
        in_context = {p.id: self._need_context(p, plan[p.id], form[p.id]) if share else form[p.id] for p in profiles}
        need_forms = [(f, g) for p in profiles for c, f, g in zip(plan[p.id], form[p.id], in_context[p.id])
                      if c.source == "need"]
        queries = list(dict.fromkeys(x for pair in need_forms for x in pair))
        passages = list(dict.fromkeys(f for p in profiles for c, f in zip(plan[p.id], form[p.id]) if c.source != "need"))
        before = self.encoder.encoded
        total = len(queries) + len(passages)
        done = [0]

        def tick(n: int) -> None:
            done[0] += n
            if progress:
                progress(done[0], total)

        qv = dict(zip(queries, self.encoder.encode_queries(queries, tick))) if queries else {}
        pv = dict(zip(passages, self.encode_supply(passages, tick))) if passages else {}
        encoded = self.encoder.encoded - before
        if progress:
            progress(total, total)

        def need(alone: str, in_context: str) -> np.ndarray:
            return qv[alone] if in_context == alone else _mix(qv[alone][None], qv[in_context][None], share)[0]

        for p in profiles:
            chunks = plan[p.id]
            vecs = np.stack(
                [need(f, g) if c.source == "need" else pv[f] for c, f, g in zip(chunks, form[p.id], in_context[p.id])]
            ) if chunks else np.zeros((0, self.encoder.dim), dtype=np.float32)
            self._profiles[p.id] = p
            self._chunks[p.id] = chunks
            self._vectors[p.id] = vecs.astype(np.float32)
            langs = tuple(dict.fromkeys([*(l.lower() for l in p.languages), *(c.language for c in chunks)]))
            self._languages[p.id] = tuple(l for l in langs if l != "und")
        self._arrays = None
        n_chunks = sum(len(c) for c in plan.values())
        return PrepareReport(len(profiles), n_chunks, encoded, total - encoded)

    @staticmethod
    def _chunked(p: Profile) -> tuple[Chunk, ...]:
        chunks: list[Chunk] = []
        for source, texts in (("need", p.needs), ("offer", p.offers), ("description", p.description)):
            for lang, text in texts:
                if not text or not text.strip():
                    continue
                language = detect_language(text, lang or None)
                chunks.extend(Chunk(c, language, source) for c in split_chunks(text))
        return tuple(chunks)

    def _encoder_forms(self, p: Profile, chunks: Sequence[Chunk]) -> list[str]:
        """What the encoder reads for each chunk: needs alone, offers and descriptions after ``supply_context``."""
        context = self.config.supply_context == "kind_sectors"
        prefix = _context(p) if context else ""
        return [encoder_form(c.text, c.language) if c.source == "need" else prefix + encoder_form(c.text, c.language)
                for c in chunks]

    @staticmethod
    def _need_context(p: Profile, chunks: Sequence[Chunk], forms: Sequence[str]) -> list[str]:
        """``forms`` with each need read after ``p``'s kind and sectors (``MatchConfig.need_context_share``)."""
        prefix = _context(p)
        return [prefix + f if c.source == "need" else f for c, f in zip(chunks, forms)]

    def supply_forms(self, p: Profile) -> list[str]:
        """The texts the encoder reads for ``p``'s offers and descriptions, chunk by chunk (as ``prepare`` embeds them)."""
        chunks = self._chunks[p.id] if self._profiles.get(p.id) == p else self._chunked(p)
        return self._encoder_forms(p, [c for c in chunks if c.source != "need"])

    def encode_supply(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Embeddings of offers and descriptions in the form ``config.passage_share`` names (unit rows)."""
        return embed_supply(self.encoder, texts, self.config.passage_share, progress)

    def remove(self, ids: Iterable[ProfileId]) -> None:
        for i in ids:
            for store in (self._profiles, self._chunks, self._vectors, self._languages):
                store.pop(i, None)
        self._arrays = None

    def __len__(self) -> int:
        return len(self._profiles)

    def languages(self, profile_id: ProfileId) -> tuple[str, ...]:
        """Declared languages first, then those detected in the texts."""
        return self._languages[profile_id]

    # ------------------------------------------------------------ matrices
    def _build(self):
        if self._arrays is not None:
            return self._arrays
        ids = list(self._profiles)
        dim = self.encoder.dim
        q_rows, q_owner, p_rows, p_owner, p_factor = [], [], [], [], []
        prof = np.zeros((len(ids), dim), dtype=np.float32)
        has_prof = np.zeros(len(ids), dtype=bool)
        for i, pid in enumerate(ids):
            chunks, vecs = self._chunks[pid], self._vectors[pid]
            supply = []
            for c, v in zip(chunks, vecs):
                if c.source == "need":
                    q_rows.append(v)
                    q_owner.append(i)
                else:
                    p_rows.append(v)
                    p_owner.append(i)
                    p_factor.append(1.0 if c.source == "offer" else self.config.description_factor)
                    supply.append(v * max(len(c.text), 1) ** 0.5)
            if supply:
                s = np.sum(supply, axis=0)
                prof[i] = s / max(np.linalg.norm(s), 1e-12)
                has_prof[i] = True
        empty = np.zeros((0, dim), dtype=np.float32)
        sectors = sorted({fold(s) for pid in ids for s in self._profiles[pid].sectors})
        sidx = {s: j for j, s in enumerate(sectors)}
        sec = np.zeros((len(ids), max(len(sectors), 1)), dtype=np.float32)
        for i, pid in enumerate(ids):
            for s in self._profiles[pid].sectors:
                sec[i, sidx[fold(s)]] = 1.0
        q_owner_a = np.array(q_owner, dtype=np.int64)
        p_owner_a = np.array(p_owner, dtype=np.int64)
        Q = np.stack(q_rows) if q_rows else empty
        P = np.stack(p_rows) if p_rows else empty
        k, share = self.config.calibration.neighbours, self.config.calibration.neighbour_share
        # Hubness radii: how close each text usually is to the other organisations' texts.
        rq, rp = _radii(Q, q_owner_a, P, p_owner_a, k, share)
        rpp, _ = _radii(P, p_owner_a, P, p_owner_a, k, share)
        h = self.config.calibration.hubness
        if h != 1.0:  # blend each text's own radius with the directory's mean radius
            rq, rp, rpp = ((h * r + (1.0 - h) * (r.mean() if len(r) else 0.0)).astype(np.float32)
                           for r in (rq, rp, rpp))
        self._arrays = dict(
            ids=ids,
            pos={pid: i for i, pid in enumerate(ids)},
            Q=Q,
            q_owner=q_owner_a,
            P=P,
            p_owner=p_owner_a,
            rq=rq,
            rp=rp,
            rpp=rpp,
            q_start=np.searchsorted(q_owner_a, np.arange(len(ids) + 1)),
            p_start=np.searchsorted(p_owner_a, np.arange(len(ids) + 1)),
            p_factor=np.array(p_factor, dtype=np.float32),
            has_need=np.bincount(q_owner_a, minlength=len(ids)) > 0,
            has_supply=np.bincount(p_owner_a, minlength=len(ids)) > 0,
            prof=prof,
            has_prof=has_prof,
            sec=sec,
            has_sec=sec.sum(1) > 0,
            kinds=[self._profiles[pid].kind for pid in ids],
            countries=[self._profiles[pid].country for pid in ids],
        )
        # The corrections' strength: full where the median organisation may meet enough others.
        candidates = candidate_counts(self._arrays["countries"], self.config)
        full = self.config.calibration.full_strength_candidates
        self._arrays["strength"] = min(1.0, float(np.median(candidates)) / full) if len(ids) and full > 0 else 1.0
        return self._arrays

    @staticmethod
    def _segment_max(S: np.ndarray, owner: np.ndarray, n: int, axis: int) -> np.ndarray:
        """Max of S over runs of equal ``owner`` along ``axis``; owners without rows get 0."""
        shape = list(S.shape)
        shape[axis] = n
        out = np.zeros(shape, dtype=np.float32)
        if S.shape[axis] == 0:
            return out
        starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
        red = np.maximum.reduceat(S, starts, axis=axis)
        if axis == 1:
            out[:, owner[starts]] = red
        else:
            out[owner[starts], :] = red
        return out

    def _fit(self, Q, rq, q_owner, P, rp, p_owner, p_factor, n_q_owners, n_p_owners):
        """How well b's supply answers a's needs, from chunk-level hub-corrected margins.

        Returns ``(fit, reach)``: ``fit[a, b]`` is the calibrated answer (0..1);
        ``reach[a, b]`` the strongest raw margin between a's needs and b's offers or
        descriptions (0 where a has no needs or b no supply), which ``_rivalry``
        compares with how much the two offers resemble each other.
        """
        cal = self.config.calibration
        fit = np.zeros((n_q_owners, n_p_owners), dtype=np.float32)
        if len(Q) == 0 or len(P) == 0:
            return fit, fit.copy()
        step = max(1, 4_000_000 // max(len(P), 1))
        best_rows, raw_rows = [], []
        for i in range(0, len(Q), step):
            M = margin(_dot(Q[i : i + step], P), rq[i : i + step], rp)
            raw_rows.append(self._segment_max(M, p_owner, n_p_owners, axis=1))
            S = calibrate(M, cal.need_low, cal.need_high) * p_factor[None, :]
            best_rows.append(self._segment_max(S, p_owner, n_p_owners, axis=1))
        best = np.concatenate(best_rows)
        reach = self._segment_max(np.concatenate(raw_rows), q_owner, n_q_owners, axis=0)
        # A partner that fully answers one need is worth more than one that half-answers all.
        mx = self._segment_max(best, q_owner, n_q_owners, axis=0)
        starts = np.flatnonzero(np.r_[True, q_owner[1:] != q_owner[:-1]])
        counts = np.diff(np.r_[starts, len(q_owner)])
        mean = np.zeros_like(fit)
        mean[q_owner[starts]] = np.add.reduceat(best, starts, axis=0) / counts[:, None]
        return 0.6 * mx + 0.4 * mean, reach

    def _same_side(self, X_a, r_a, owner_a, n_a, X, r, owner, n):
        """Strongest raw chunk-to-chunk margin between rows' texts and everyone's texts of the same role (0 if none)."""
        out = np.zeros((n_a, n), dtype=np.float32)
        if len(X_a) == 0 or len(X) == 0:
            return out
        S = margin(_dot(X_a, X), r_a, r)
        return self._segment_max(self._segment_max(S, owner, n, axis=1), owner_a, n_a, axis=0)

    def _rivalry(self, rows, p_owner_local, psel, reach_ab, reach_ba):
        """0..1: how much two companies offer the same thing rather than what the other needs.

        A competitor's offers resemble mine more than they answer my needs; a partner's
        offers answer my needs at least as well as they resemble mine. So the offer↔offer
        margin (CSLS, offers and descriptions) is taken relative to the need→offer margin
        of each direction: ``offers(a)·offers(b) - needs(a)·offers(b)`` and
        ``offers(a)·offers(b) - needs(b)·offers(a)``, each calibrated with ``rival_*``,
        averaged (symmetric). Where a side lists no needs its answer counts as 0, so that
        direction falls back to the plain offer↔offer margin. An exporter and an importer of the same goods write alike,
        but the importer's needs are answered by the exporter's offers, which keeps them
        from being penalised as rivals; a rule on needs alike instead hurt exactly that
        case on the development set. Cities and universities that offer the same are
        peers too; the rule is the same for every kind of organisation (it once applied between
        companies only, which spared cities and institutes a penalty that companies paid).
        With ``rivalry_reach="role"`` needs alike count too, against the same
        answer: a rival offers what I offer or seeks what I seek, beyond what either of us
        answers the other.
        """
        A = self._build()
        n = len(A["ids"])
        cal = self.config.calibration
        same = self._same_side(
            A["P"][psel], A["rpp"][psel], p_owner_local, len(rows), A["P"], A["rpp"], A["p_owner"], n
        )
        if cal.rivalry_reach in ("either", "role"):
            # Partners may answer one way only (a city's testbed answers the company's need
            # for a pilot, the company's system the city's need): either direction clears them.
            best = np.maximum(reach_ab, reach_ba)
            rival = calibrate(same - best, cal.rival_low, cal.rival_high)
            if cal.rivalry_reach == "role":
                # Seeking the same also makes a rival (two exporters after the same buyers,
                # who sell different goods), again only beyond what either answers the other.
                rival = np.maximum(rival, calibrate(self._seek_alike(rows) - best, cal.rival_low, cal.rival_high))
        elif cal.rivalry_reach == "each":
            rival = 0.5 * (
                calibrate(same - reach_ab, cal.rival_low, cal.rival_high)
                + calibrate(same - reach_ba, cal.rival_low, cal.rival_high)
            )
        else:
            raise ValueError(f"unknown rivalry_reach {cal.rivalry_reach!r}: 'either', 'role' or 'each'")
        both = A["has_supply"]
        return rival * (both[rows][:, None] & both[None, :])

    def _seek_alike(self, rows) -> np.ndarray:
        """Strongest need↔need margin between each of ``rows`` and every organisation (0 where either lists no needs)."""
        A = self._build()
        n = len(A["ids"])
        qsel = np.isin(A["q_owner"], rows)
        local = {int(r): j for j, r in enumerate(rows)}
        q_local = np.array([local[int(o)] for o in A["q_owner"][qsel]], dtype=np.int64)
        seek = self._same_side(A["Q"][qsel], A["rq"][qsel], q_local, len(rows), A["Q"], A["rq"], A["q_owner"], n)
        return np.where(A["has_need"][rows][:, None] & A["has_need"][None, :], seek, -np.inf)

    def parts(self, rows: Sequence[int], all_parts: bool = False) -> Parts:
        """The evidence of profiles ``rows`` (positions) against every profile, part by part.

        Rivalry is computed where it weighs in the score, under a re-ranker, or with ``all_parts``.
        """
        A = self._build()
        n = len(A["ids"])
        cal = self.config.calibration
        rows = np.asarray(rows, dtype=np.int64)
        local = {int(r): j for j, r in enumerate(rows)}
        # a's needs against everyone's supply
        qsel = np.isin(A["q_owner"], rows)
        q_owner_local = np.array([local[int(o)] for o in A["q_owner"][qsel]], dtype=np.int64)
        fit_ab, reach_ab = self._fit(
            A["Q"][qsel], A["rq"][qsel], q_owner_local, A["P"], A["rp"], A["p_owner"], A["p_factor"], len(rows), n
        )
        # everyone's needs against a's supply
        psel = np.isin(A["p_owner"], rows)
        p_owner_local = np.array([local[int(o)] for o in A["p_owner"][psel]], dtype=np.int64)
        fit_ba, reach_ba = self._fit(
            A["Q"], A["rq"], A["q_owner"], A["P"][psel], A["rp"][psel], p_owner_local, A["p_factor"][psel], n, len(rows)
        )
        fit_ba, reach_ba = fit_ba.T, reach_ba.T
        g = cal.need_hubness * A["strength"]
        if g:
            rn, rs = self._need_radii()
            centre = 0.5 * (rn.mean() + rs.mean())
            fit_ab = fit_ab - g * (0.5 * (rn[rows][:, None] + rs[None, :]) - centre)
            fit_ba = fit_ba - g * (0.5 * (rn[None, :] + rs[rows][:, None]) - centre)
        w = self.config.weights
        return Parts(
            need_ab=fit_ab,
            need_ba=fit_ba,
            has_ab=A["has_need"][rows][:, None] & A["has_supply"][None, :],
            has_ba=A["has_supply"][rows][:, None] & A["has_need"][None, :],
            profile=calibrate(_dot(A["prof"][rows], A["prof"]), cal.profile_low, cal.profile_high),
            has_profile=A["has_prof"][rows][:, None] & A["has_prof"][None, :],
            sectors=((A["sec"][rows] @ A["sec"].T) > 0).astype(np.float32),
            has_sectors=A["has_sec"][rows][:, None] & A["has_sec"][None, :],
            # Rivalry costs a comparison of every offer with every offer: skipped when unused.
            rivalry=(self._rivalry(rows, p_owner_local, psel, reach_ab, reach_ba)
                     if w.rivalry or self.config.reranker or all_parts else np.zeros((len(rows), n), dtype=np.float32)),
        )

    def _base(self, rows: np.ndarray, all_parts: bool = False) -> tuple[Parts, np.ndarray, np.ndarray]:
        """The parts, the combined score before the partner correction, and the allowed mask of ``rows``."""
        A = self._build()
        p = self.parts(rows, all_parts)
        allowed = allowed_matrix([A["countries"][r] for r in rows], A["countries"], self.config)
        allowed[np.arange(len(rows)), rows] = False
        return p, combine(p, self.config.weights), allowed

    def _need_radii(self) -> tuple[np.ndarray, np.ndarray]:
        """Per organisation: the mean of its needs' best allowed fits, and of its supply's (once per directory).

        Computed in blocks of needers; each block keeps only every supplier's best fits so far.
        """
        A = self._build()
        if "need_radii" not in A:
            n = len(A["ids"])
            k = max(1, min(self.config.calibration.need_neighbours, n))
            rn = np.zeros(n, dtype=np.float64)
            kept = []
            for start in range(0, n, 512):
                rows = np.arange(start, min(n, start + 512))
                qsel = np.isin(A["q_owner"], rows)
                fit, _ = self._fit(A["Q"][qsel], A["rq"][qsel], A["q_owner"][qsel] - start, A["P"], A["rp"],
                                   A["p_owner"], A["p_factor"], len(rows), n)
                allowed = allowed_matrix([A["countries"][r] for r in rows], A["countries"], self.config)
                allowed[np.arange(len(rows)), rows] = False
                valid = allowed & A["has_need"][rows][:, None] & A["has_supply"][None, :]
                X = np.where(valid, fit, -np.inf)
                rn[rows] = _top_mean(X, k, axis=1)
                kk = min(k, len(rows))
                kept.append(np.partition(X, -kk, axis=0)[-kk:])
            rs = _top_mean(np.concatenate(kept), k, axis=0)
            A["need_radii"] = (rn, rs.astype(np.float64))
        return A["need_radii"]

    def _partner_radii(self) -> np.ndarray:
        """Each organisation's mean of its ``partner_neighbours`` best allowed scores (computed once per directory).

        A directory of up to ``KEEP_SCORES`` organisations keeps the scores of this pass,
        so that ranking does not compute them a second time.
        """
        A = self._build()
        if "radius" not in A:
            n = len(A["ids"])
            k = max(1, self.config.calibration.partner_neighbours)
            r = np.zeros(n, dtype=np.float64)
            keep = np.zeros((n, n), dtype=np.float64) if n <= KEEP_SCORES else None
            for start in range(0, n, 512):
                rows = np.arange(start, min(n, start + 512))
                _, S, allowed = self._base(rows)
                r[rows] = _top_mean(np.where(allowed, S, -np.inf), min(k, n), axis=1)
                if keep is not None:
                    keep[rows] = S
            A["radius"] = r
            if keep is not None:
                A["scores"] = keep
        return A["radius"]

    def _engine_rows(self, rows: np.ndarray, all_parts: bool = False) -> tuple[Parts, np.ndarray, np.ndarray]:
        """The parts, the engine's score (0..100, before any re-ranker) and the allowed mask of ``rows``."""
        rows = np.asarray(rows, dtype=np.int64)
        p, score, allowed = self._base(rows, all_parts)
        return p, self._corrected(rows, score), allowed

    def _partnered(self, rows: np.ndarray, score: np.ndarray) -> np.ndarray:
        """Base scores of ``rows`` less the partner correction (``Calibration.partner_hubness``)."""
        g = self.config.calibration.partner_hubness * self._build()["strength"]
        if not g:
            return score
        r = self._partner_radii()
        return np.clip(score - g * (0.5 * (r[rows][:, None] + r[None, :]) - r.mean()), 0.0, 100.0)

    def _corrected(self, rows: np.ndarray, score: np.ndarray) -> np.ndarray:
        """Base scores of ``rows`` after the partner and the popularity corrections: the engine's score."""
        score = self._partnered(rows, score)
        tau = self.config.calibration.popularity
        if tau:
            pop = self._popularity()
            f = self._build()["strength"]
            score = np.clip(score - f * tau * (pop[rows][:, None] + pop[None, :]), 0.0, 100.0)
        return score

    def _base_rows(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Base scores of ``rows`` (kept from the radius pass where the directory is small) and the allowed mask."""
        A = self._build()
        if "scores" in A:
            allowed = allowed_matrix([A["countries"][i] for i in rows], A["countries"], self.config)
            allowed[np.arange(len(rows)), rows] = False
            return A["scores"][rows], allowed
        _, score, allowed = self._base(rows)
        return score, allowed

    def _popularity(self) -> np.ndarray:
        """How much of the directory's attention each organisation draws, centred (log), computed once per directory.

        Every organisation's scores (after the partner correction) become a softmax over
        the candidates it may meet, at temperature ``Calibration.popularity`` (in score
        points); an organisation's attention is the sum of its column. Where many lists
        would put the same organisation near the top, it is less telling for each of them
        (inverted softmax, the hubness correction of cross-lingual retrieval, and the
        balance of a two-sided market with few meeting slots). Organisations that nobody
        may meet are left uncorrected.
        """
        A = self._build()
        if "popularity" not in A:
            n = len(A["ids"])
            tau = self.config.calibration.popularity
            attention = np.zeros(n, dtype=np.float64)
            if self.config.calibration.partner_hubness:
                self._partner_radii()  # keeps the base scores of a small directory
            for start in range(0, n, 512):
                rows = np.arange(start, min(n, start + 512))
                base, allowed = self._base_rows(rows)
                X = np.where(allowed, self._partnered(rows, base) / tau, -np.inf)
                top = X.max(axis=1, keepdims=True)
                E = np.where(allowed, np.exp(X - np.where(np.isfinite(top), top, 0.0)), 0.0)
                attention += (E / np.maximum(E.sum(axis=1, keepdims=True), 1e-300)).sum(axis=0)
            drawn = attention > 0
            pop = np.zeros(n, dtype=np.float64)
            if drawn.any():
                logs = np.log(attention[drawn])
                pop[drawn] = logs - logs.mean()
            A["popularity"] = pop
        return A["popularity"]

    def _score_rows(self, rows: np.ndarray):
        """Scores (0..100) of profiles ``rows`` against every profile, and the allowed mask."""
        cfg = self.config
        rows = np.asarray(rows, dtype=np.int64)
        if cfg.reranker is None:
            if cfg.calibration.partner_hubness:
                self._partner_radii()  # keeps the base scores of a small directory
            if "scores" in self._build():  # the same numbers _engine_rows computes, kept from the radius pass
                base, allowed = self._base_rows(rows)
                return self._corrected(rows, base).astype(np.float32), allowed
        p, score, allowed = self._engine_rows(rows)
        if cfg.reranker:
            score = rerank(p, score, cfg.reranker)
        return score.astype(np.float32), allowed

    def pair_features(self, pairs: Sequence[tuple[ProfileId, ProfileId]]) -> np.ndarray:
        """The re-ranker's features (``scoring.FEATURES``) of each pair of prepared profiles, ``(len(pairs), k)``."""
        A = self._build()
        out = np.zeros((len(pairs), len(FEATURES)), dtype=np.float64)
        if not pairs:
            return out
        rows = sorted({A["pos"][a] for a, _ in pairs})
        local = {r: i for i, r in enumerate(rows)}
        for start in range(0, len(rows), 512):
            block = np.array(rows[start : start + 512], dtype=np.int64)
            p, score, _ = self._engine_rows(block, all_parts=True)  # the re-ranker's features, whatever the shares
            X = features(p, score)
            for k, (a, b) in enumerate(pairs):
                i = local[A["pos"][a]] - start
                if 0 <= i < len(block):
                    out[k] = X[i, A["pos"][b]]
        return out

    # ------------------------------------------------------------ queries
    def match_one(self, profile_id: ProfileId, top: int | None = None) -> list[Match]:
        """Best partners for one prepared profile, best first."""
        A = self._build()
        if profile_id not in A["pos"]:
            raise KeyError(f"profile {profile_id!r} is not prepared")
        return self._matches_for([A["pos"][profile_id]], top)[profile_id]

    def match_all(self, top: int | None = None, progress: Progress | None = None, block: int = 512) -> dict[ProfileId, list[Match]]:
        """Best partners for every prepared profile, computed in blocks of rows."""
        A = self._build()
        n = len(A["ids"])
        out: dict[ProfileId, list[Match]] = {}
        for start in range(0, n, block):
            out.update(self._matches_for(list(range(start, min(n, start + block))), top))
            if progress:
                progress(min(n, start + block), n)
        return out

    def score_pair(self, a: ProfileId, b: ProfileId) -> Match:
        """The score and reasons of one pair, whether or not the cross-border rule allows it."""
        A = self._build()
        i, j = A["pos"][a], A["pos"][b]
        score, _ = self._score_rows(np.array([i]))
        return self._match(i, j, float(score[0, j]))

    def _matches_for(self, rows: Sequence[int], top: int | None) -> dict[ProfileId, list[Match]]:
        A = self._build()
        top = top or self.config.top_n
        score, allowed = self._score_rows(np.asarray(rows))
        masked = np.where(allowed, score, -np.inf)
        k = min(top, masked.shape[1])
        out: dict[ProfileId, list[Match]] = {}
        if k == 0:
            return {A["ids"][r]: [] for r in rows}
        cand = np.argpartition(-masked, k - 1, axis=1)[:, :k]
        for li, r in enumerate(rows):
            c = cand[li]
            c = c[np.lexsort((c, -masked[li, c]))]
            out[A["ids"][r]] = [
                self._match(r, int(j), float(masked[li, j]))
                for j in c
                if np.isfinite(masked[li, j]) and masked[li, j] >= self.config.min_score
            ]
        return out

    # ------------------------------------------------------------ reasons
    def _best_pair(self, needer: ProfileId, supplier: ProfileId):
        A = self._build()
        ch_n, ch_s = self._chunks[needer], self._chunks[supplier]
        ni = [k for k, c in enumerate(ch_n) if c.source == "need"]
        si = [k for k, c in enumerate(ch_s) if c.source != "need"]
        if not ni or not si:
            return None
        # The same rows, in chunk order, that the scores were computed from.
        i, j = A["pos"][needer], A["pos"][supplier]
        q = slice(A["q_start"][i], A["q_start"][i + 1])
        p = slice(A["p_start"][j], A["p_start"][j + 1])
        cal = self.config.calibration
        S = calibrate(margin(A["Q"][q] @ A["P"][p].T, A["rq"][q], A["rp"][p]), cal.need_low, cal.need_high)
        is_offer = np.array([ch_s[k].source == "offer" for k in si])
        S = S * np.where(is_offer, 1.0, self.config.description_factor)[None, :]
        # A stated offer that answers is named before the description, which may have scored a little higher.
        if is_offer.any() and S[:, is_offer].max() >= REASON_FLOOR:
            S = np.where(is_offer[None, :], S, -np.inf)
        a, b = np.unravel_index(int(np.argmax(S)), S.shape)
        return float(S[a, b]), ch_n[ni[a]], ch_s[si[b]]

    def _match(self, i: int, j: int, score: float) -> Match:
        A = self._build()
        a, b = A["ids"][i], A["ids"][j]
        pa, pb = self._profiles[a], self._profiles[b]
        reasons: list[Reason] = []
        best = self._best_pair(a, b)
        if best and best[0] >= REASON_FLOOR:
            what = "offer" if best[2].source == "offer" else "description"
            offer, need = _snippet(best[2].text), _snippet(best[1].text)
            reasons.append(Reason(f"their_{what}_answers", f'their {what} "{offer}" answers your need "{need}"',
                                  offer=offer, need=need))
        best = self._best_pair(b, a)
        if best and best[0] >= REASON_FLOOR:
            what = "offer" if best[2].source == "offer" else "description"
            offer, need = _snippet(best[2].text), _snippet(best[1].text)
            reasons.append(Reason(f"your_{what}_answers", f'your {what} "{offer}" answers their need "{need}"',
                                  offer=offer, need=need))
        shared = sorted({fold(s) for s in pa.sectors} & {fold(s) for s in pb.sectors})
        if shared:
            names = [s for s in pb.sectors if fold(s) in shared]
            reasons.append(Reason("shared_sectors", "shared sectors: " + ", ".join(names), sectors=names))
        la, lb = self._languages.get(a, ()), self._languages.get(b, ())
        if la and lb and not set(la) & set(lb):
            reasons.append(Reason(
                "no_common_language",
                f"no common language listed (you: {', '.join(la)}; they: {', '.join(lb)}): plan an interpreter",
                mine=list(la), theirs=list(lb)))
        reasons.extend(self._missing(pa, a, None))
        reasons.extend(self._missing(pb, b, pb.name))
        return Match(id=b, name=pb.name, country=pb.country, score=round(score, 1), reasons=tuple(reasons))

    def _missing(self, p: Profile, pid: ProfileId, name: str | None) -> list[Reason]:
        """What a thin profile lacks; ``name`` is None for the organisation the list is for ("you")."""
        side, who = ("self", "you") if name is None else ("other", name)
        chunks = self._chunks[pid]
        if not chunks:
            if p.sectors:
                return [Reason(f"{side}_empty_sectors",
                               f"{who} gave no description, offers or needs: matched on sectors only", name=who)]
            return [Reason(f"{side}_empty", f"{who} gave no description, offers, needs or sectors: nothing to match on",
                           name=who)]
        out = []
        sources = {c.source for c in chunks}
        if "need" not in sources:
            offered = "you offer" if name is None else "it offers"
            out.append(Reason(f"{side}_no_needs", f"{who} listed no needs: matched on what {offered}", name=who))
        if not sources & {"offer", "description"}:
            whose = "your" if name is None else "its"
            out.append(Reason(f"{side}_no_offers", f"{who} listed no offers or description: matched on {whose} needs only",
                              name=who))
        if not p.sectors:
            out.append(Reason(f"{side}_no_sectors", f"{who} listed no sectors", name=who))
        return out
