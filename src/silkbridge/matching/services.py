"""The one path between the directory's models and the matching engine: embed, match, store, read back.

Profiles are keyed by ``Organisation.pk``; people and the CLI see external ids.
One ``Matcher`` per process holds every prepared profile and is kept in step with
the database by comparing ``Profile`` values, so only changed profiles are re-chunked
and only texts missing from the ``Embedding`` table are ever encoded.

Settings: ``MATCH_CROSS_BORDER`` = ``"different_country"`` (default: partners from
another country), ``"groups"`` (China, with HK and MO, only with the CEE countries
of the China–CEEC format, and back) or ``"any"``; ``VECTOR_INDEX_DIR`` holds the
persisted index of what organisations offer; ``MATCH_RERANKER`` turns on the re-ranker
fitted by ``fit_reranker`` (kept in ``MATCH_RERANKER_FILE``).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from silkbridge.directory.models import Country, Organisation, Sector
from silkbridge.engines.language import detect_iso
from silkbridge.engines.matching import (
    CN_CEE,
    Decision,
    Encoder,
    FitReport,
    Match,
    MatchConfig,
    Matcher,
    PrepareReport,
    Profile,
    Reason,
    Reranker,
    VectorIndex,
    default_encoder,
    encoder_form,
    rerank,
)
from silkbridge.matching.reasons import localise_many, to_json

from .models import Embedding, MatchResult

CROSS_BORDER_RULES = ("different_country", "groups", "any")
Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``; stage is ``"embedding"`` or ``"matching"``."""

_BATCH = 500  # rows per IN (...) query: well under SQLite's variable limit


# ----------------------------------------------------------------------------- configuration


def match_config(top: int = 10) -> MatchConfig:
    """The organiser's rule from ``settings.MATCH_CROSS_BORDER`` (default ``"different_country"``).

    ``"groups"`` pairs China (CN, HK, MO) only with the CEE countries and back;
    ``"any"`` also allows two organisations of the same country.
    """
    rule = getattr(settings, "MATCH_CROSS_BORDER", "different_country") or "different_country"
    if rule not in CROSS_BORDER_RULES:
        raise ImproperlyConfigured(f"MATCH_CROSS_BORDER must be one of {', '.join(CROSS_BORDER_RULES)}; got {rule!r}")
    return MatchConfig(cross_border=rule, country_groups=CN_CEE if rule == "groups" else (), top_n=top,
                       reranker=active_reranker())


# ----------------------------------------------------------------------------- the optional re-ranker


def stored_reranker() -> dict | None:
    """The last fit as stored (model, counts, time-split figures), or ``None``."""
    path = Path(settings.MATCH_RERANKER_FILE)
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def active_reranker() -> Reranker | None:
    """The stored model when ``MATCH_RERANKER`` is on and it was fitted on enough decisions of each class."""
    if not getattr(settings, "MATCH_RERANKER", False):
        return None
    stored = stored_reranker()
    if not stored or not stored.get("model"):
        return None
    if min(stored["accepted"], stored["declined"]) < settings.MATCH_RERANKER_MIN_DECISIONS:
        return None
    m = stored["model"]
    return Reranker(coef=tuple(m["coef"]), intercept=float(m["intercept"]), features=tuple(m["features"]))


def fit_reranker(decisions: Sequence[Decision]) -> FitReport:
    """Fit the re-ranker on answered meeting requests between organisations (pks) and store it with its figures.

    Nothing is stored until there are ``MATCH_RERANKER_MIN_DECISIONS`` accepted and as many
    declined requests; a stored model is only used while ``MATCH_RERANKER`` is on. The
    features are the engine's own parts of each pair, computed without any re-ranker.
    """
    with _lock:
        sync()
        known = [d for d in decisions if d.a in _known and d.b in _known and d.a != d.b]
        # The engine's score before any re-ranker (pair_features never applies one).
        X = matcher().pair_features([(d.a, d.b) for d in known])
        report = rerank.fit(X, known, minimum=settings.MATCH_RERANKER_MIN_DECISIONS)
        if report.model is not None:
            path = Path(settings.MATCH_RERANKER_FILE)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(reranker_as_json(report), indent=2), encoding="utf-8")
            tmp.replace(path)
        return report


def reranker_as_json(report: FitReport) -> dict:
    return {
        "accepted": report.accepted,
        "declined": report.declined,
        "minimum": report.minimum,
        "fitted_at": timezone.now().isoformat(),
        "model": dataclasses.asdict(report.model) if report.model else None,
        "time_split": dataclasses.asdict(report.time_split) if report.time_split else None,
    }


class DatabaseCache:
    """``EmbeddingCache`` over the ``Embedding`` table: float32 vectors as bytes, keyed by (model, text hash)."""

    @staticmethod
    def _split(key: str) -> tuple[str, str]:
        model, _, digest = key.rpartition(":")
        return model, digest

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        by_model: dict[str, list[str]] = {}
        for key in keys:
            model, digest = self._split(key)
            by_model.setdefault(model, []).append(digest)
        found: dict[str, np.ndarray] = {}
        for model, digests in by_model.items():
            for i in range(0, len(digests), _BATCH):
                rows = Embedding.objects.filter(model=model, text_hash__in=digests[i : i + _BATCH])
                for digest, vector in rows.values_list("text_hash", "vector"):
                    found[f"{model}:{digest}"] = np.frombuffer(bytes(vector), dtype="<f4")
        return found

    def put_many(self, items: Mapping[str, np.ndarray]) -> None:
        rows = []
        for key, vector in items.items():
            model, digest = self._split(key)
            v = np.asarray(vector, dtype="<f4").reshape(-1)
            rows.append(Embedding(model=model, text_hash=digest, dim=len(v), vector=v.tobytes()))
        # Another process may have stored the same text meanwhile; its vector is as good as ours.
        Embedding.objects.bulk_create(rows, batch_size=_BATCH, ignore_conflicts=True)


# ----------------------------------------------------------------------------- profiles


def _sectors(org: Organisation, nace: Callable[[Sector], str] = lambda s: s.code) -> tuple[str, ...]:
    """The organisation's NACE sectors (``nace`` of each), then its free-text sectors as written.

    The engine gets NACE codes as ``sectors``: it folds sector strings for every pair it
    explains, and long names doubled the time of a 2,000-organisation batch. The English
    names go to ``sector_names``, which the encoder reads beside the offers
    (``MatchConfig.supply_context``), the same for every language of the profile.
    """
    words = [nace(s) for s in org.sectors.all()]
    words += [w.strip() for w in org.sectors_other.split(";") if w.strip()]
    return tuple(dict.fromkeys(words))


def _readable(matches: Sequence[Match], names: Mapping[str, str]) -> list[Match]:
    """Name the NACE codes in the English text of the shared-sector reason (free-text sectors stay as written).

    The reason keeps the codes as its parameters, so a page in another language names them in that language.
    """
    out = []
    for m in matches:
        reasons = tuple(
            Reason("shared_sectors", "shared sectors: " + "; ".join(names[c][0] if c in names else c
                                                                     for c in r.params["sectors"]),
                   sectors=r.params["sectors"], names={c: names[c] for c in r.params["sectors"] if c in names})
            if isinstance(r, Reason) and r.code == "shared_sectors" else r
            for r in m.reasons
        )
        out.append(m if reasons == m.reasons else dataclasses.replace(m, reasons=reasons))
    return out


def _sector_names() -> dict[str, tuple[str, str]]:
    """NACE code -> (English name, Chinese name)."""
    return {code: (en, zh) for code, en, zh in Sector.objects.values_list("code", "name_en", "name_zh")}


def profiles_for(queryset: Iterable[Organisation]) -> list[Profile]:
    """Engine profiles of organisations: every language version of each text; sectors as NACE codes."""
    if hasattr(queryset, "prefetch_related"):
        queryset = queryset.select_related("country").prefetch_related("profiles", "sectors")
    out = []
    for org in queryset:
        texts = list(org.profiles.all())
        out.append(Profile(
            id=org.pk,
            name=org.name,
            country=org.country_id,
            kind=org.kind,
            sectors=_sectors(org),
            sector_names=_sectors(org, lambda s: s.name_en),
            languages=tuple(org.languages or ()),
            description=tuple((p.language, p.description) for p in texts if p.description.strip()),
            offers=tuple((p.language, p.offers) for p in texts if p.offers.strip()),
            needs=tuple((p.language, p.needs) for p in texts if p.needs.strip()),
        ))
    return out


# ----------------------------------------------------------------------------- the process-wide matcher

_lock = threading.RLock()
_encoder: Encoder | None = None
_matcher: Matcher | None = None
_known: dict[int, Profile] = {}


def use_encoder(encoder: Encoder | None) -> None:
    """Encode with ``encoder`` from now on (``None``: the packaged default); drops prepared profiles."""
    global _encoder, _matcher
    with _lock:
        _encoder = encoder
        _matcher = None
        _known.clear()


def encoder() -> Encoder:
    global _encoder
    with _lock:
        if _encoder is None:
            _encoder = default_encoder()
        return _encoder


def matcher() -> Matcher:
    """This process's matcher under the current settings (rebuilt when the cross-border rule changes)."""
    global _matcher
    with _lock:
        config = match_config()
        if _matcher is None or _matcher.config != config:
            _matcher = Matcher(encoder(), DatabaseCache(), config)
            _known.clear()
        return _matcher


def sync(progress: Progress | None = None) -> PrepareReport:
    """Bring the matcher in step with the directory: prepare new or changed profiles, drop deleted ones."""
    with _lock:
        m = matcher()
        current = {p.id: p for p in profiles_for(Organisation.objects.all())}
        gone = [pid for pid in _known if pid not in current]
        changed = [p for pid, p in current.items() if _known.get(pid) != p]
        if gone:
            m.remove(gone)
        tick = (lambda done, total: progress("embedding", done, total)) if progress else None
        report = m.prepare(changed, tick) if changed else PrepareReport(0, 0, 0, 0)
        for pid in gone:
            _known.pop(pid, None)
        _known.update({p.id: p for p in changed})
        if changed or gone:
            update_index([p.id for p in changed], gone)
        return report


# ----------------------------------------------------------------------------- vector index

INDEX_MANIFEST = "profiles.json"


def _index_dir() -> Path:
    return Path(settings.VECTOR_INDEX_DIR) / "organisations"


def _supply_digest(model: str, encoding: float, forms: Sequence[str]) -> str:
    # ``forms``: what the encoder reads (Serbian Cyrillic in Latin letters, the kind and sectors in front:
    # Matcher.supply_forms); ``encoding``: the supply's embedding form (MatchConfig.passage_share).
    key = [model, encoding, list(forms)]
    return hashlib.sha256(json.dumps(key, ensure_ascii=False).encode()).hexdigest()[:24]


def load_index() -> tuple[VectorIndex, dict[str, str]]:
    """The persisted index of what organisations offer, and its manifest (pk -> digest of the texts)."""
    folder = _index_dir()
    if (folder / "meta.json").exists() and (folder / INDEX_MANIFEST).exists():
        return VectorIndex.load(str(folder)), json.loads((folder / INDEX_MANIFEST).read_text(encoding="utf-8"))
    return VectorIndex(encoder().dim), {}


def update_index(changed: Sequence[int], removed: Sequence[int] = ()) -> int:
    """Add, replace or remove organisations in the persisted supply index; returns how many vectors changed.

    An organisation's vector is the length-weighted mean of its offer and description
    chunks (passages), so a need encoded as a query finds who can answer it. Entries
    whose texts are unchanged since the last save are left alone.
    """
    with _lock:
        m = matcher()
        index, manifest = load_index()
        touched = 0
        for pid in removed:
            touched += index.remove([pid])
            manifest.pop(str(pid), None)
        for pid in changed:
            profile = _known.get(pid)
            if profile is None:
                continue
            chunks = m.supply_forms(profile)
            digest = _supply_digest(m.encoder.name, m.config.passage_share, chunks)
            if manifest.get(str(pid)) == digest and pid in index:
                continue
            if not chunks:
                touched += index.remove([pid])
                manifest.pop(str(pid), None)
                continue
            vectors = m.encode_supply(chunks)
            weights = np.sqrt(np.array([max(len(c), 1) for c in chunks], dtype=np.float32))
            v = (vectors * weights[:, None]).sum(0)
            index.add([pid], (v / max(float(np.linalg.norm(v)), 1e-12))[None, :])
            manifest[str(pid)] = digest
            touched += 1
        if touched:
            folder = _index_dir()
            index.save(str(folder))
            tmp = folder / (INDEX_MANIFEST + ".tmp")
            tmp.write_text(json.dumps(manifest), encoding="utf-8")
            tmp.replace(folder / INDEX_MANIFEST)
        return touched


def search_offers(text: str, top: int = 10) -> list[tuple[Organisation, float]]:
    """Organisations whose offers or description best answer ``text`` (a need, in any language)."""
    sync()
    index, _ = load_index()
    query = matcher().encoder.encode_queries([encoder_form(text, detect_iso(text))])[0]
    ids, scores = index.search(query, top)
    orgs = Organisation.objects.select_related("country").in_bulk([int(i) for i in ids if i >= 0])
    return [(orgs[int(i)], float(s)) for i, s in zip(ids, scores) if int(i) in orgs]


# ----------------------------------------------------------------------------- matches


@dataclass(frozen=True)
class Recommendation:
    """A suggested partner ready to show: ``organisation`` is the partner, ``reasons`` readable sentences."""

    organisation: Organisation
    score: float
    reasons: tuple[str, ...]

    @property
    def id(self) -> int:
        return self.organisation.pk

    @property
    def external_id(self) -> str:
        return self.organisation.external_id

    @property
    def name(self) -> str:
        return self.organisation.name

    @property
    def url(self) -> str:
        return self.organisation.get_absolute_url()

    @property
    def country(self) -> Country:
        return self.organisation.country


def _store(results: Mapping[int, Sequence[Match]], rule: str) -> int:
    """Replace the stored lists of ``results``' organisations; returns the number of rows written.

    One prepared INSERT run over all rows: building 20,000 model instances for
    ``bulk_create`` took longer than the matching it records.
    """
    meta = MatchResult._meta
    columns = ("organisation", "partner", "rank", "score", "reasons", "cross_border", "computed_at")
    fields = [meta.get_field(name) for name in columns]
    reasons_field, computed_field = fields[4], fields[6]
    now = computed_field.get_db_prep_save(timezone.now(), connection)
    params = [
        (org_id, int(m.id), rank, float(m.score), reasons_field.get_db_prep_save([to_json(r) for r in m.reasons], connection), rule, now)
        for org_id, matches in results.items()
        for rank, m in enumerate(matches, start=1)
    ]
    qn = connection.ops.quote_name
    sql = (f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    with transaction.atomic():
        ids = list(results)
        for i in range(0, len(ids), _BATCH):
            MatchResult.objects.filter(organisation_id__in=ids[i : i + _BATCH]).delete()
        with connection.cursor() as cursor:
            for i in range(0, len(params), 5000):
                cursor.executemany(sql, params[i : i + 5000])
    return len(params)


def compute_matches(org_ids: Iterable[int] | None = None, top: int = 10,
                    progress: Progress | None = None) -> dict[int, list[Match]]:
    """Compute and store the best ``top`` partners of ``org_ids`` (all organisations when ``None``)."""
    with _lock:
        sync(progress)
        m = matcher()
        if org_ids is None:
            tick = (lambda done, total: progress("matching", done, total)) if progress else None
            results = m.match_all(top, progress=tick)
        else:
            wanted = [i for i in dict.fromkeys(int(i) for i in org_ids) if i in _known]
            results = {}
            for n, pid in enumerate(wanted, start=1):
                results[pid] = m.match_one(pid, top)
                if progress:
                    progress("matching", n, len(wanted))
        names = _sector_names()
        results = {pid: _readable(ms, names) for pid, ms in results.items()}
        _store(results, m.config.cross_border)
        return results


def matches_for(org: Organisation, top: int = 10, progress: Progress | None = None) -> list[Match]:
    """The best partners of one organisation, computed now (missing embeddings first); not stored."""
    with _lock:
        sync(progress)
        return _readable(matcher().match_one(org.pk, top), _sector_names())


def _as_recommendations(matches: Sequence[Match]) -> list[Recommendation]:
    orgs = Organisation.objects.select_related("country").in_bulk([int(m.id) for m in matches])
    matches = [m for m in matches if int(m.id) in orgs]
    reasons = localise_many([m.reasons for m in matches])
    return [Recommendation(orgs[int(m.id)], float(m.score), r) for m, r in zip(matches, reasons)]


def cached_matches(org: Organisation, top: int = 10) -> list[Recommendation]:
    """Stored recommendations of ``org`` under the current rule, best first; never computes (page renders)."""
    rows = (MatchResult.objects.filter(organisation=org, cross_border=match_config().cross_border)
            .select_related("partner__country").order_by("rank")[:top])
    rows = list(rows)
    reasons = localise_many([r.reasons for r in rows])
    return [Recommendation(r.partner, r.score, why) for r, why in zip(rows, reasons)]


def recommendations_for(org: Organisation, top: int = 10) -> list[Recommendation]:
    """Stored recommendations when there are enough, else computed now (for forums and the API)."""
    stored = cached_matches(org, top)
    if len(stored) >= top:
        return stored
    return _as_recommendations(matches_for(org, top))


def _external_ids(ids: Iterable[int]) -> dict[int, str]:
    ids = list(ids)
    out: dict[int, str] = {}
    for i in range(0, len(ids), _BATCH):
        out.update(Organisation.objects.filter(pk__in=ids[i : i + _BATCH]).values_list("pk", "external_id"))
    return out


def results_as_json(results: Mapping[int, Sequence[Match]]) -> dict:
    """``{"results": [{"organisation": id, "matches": [...]}]}`` with external ids, ordered by organisation id."""
    external = _external_ids(set(results) | {int(m.id) for ms in results.values() for m in ms})
    out = [
        {
            "organisation": external[pid],
            "matches": [
                {"id": external[int(m.id)], "name": m.name, "country": m.country, "score": float(m.score),
                 "reasons": list(m.reasons)}
                for m in matches
                if int(m.id) in external
            ],
        }
        for pid, matches in results.items()
        if pid in external
    ]
    out.sort(key=lambda r: r["organisation"])
    return {"results": out}


# ----------------------------------------------------------------------------- after a change


BULK_CHANGES = 20
"""More changed organisations than this (or 5 % of all) refresh the stored table in one batch."""


def reembed(ids: Iterable[int], top: int = 10) -> dict[str, int]:
    """Re-embed changed organisations and refresh the stored recommendations they affect.

    Refreshed rows: the changed organisations themselves, everyone whose stored list
    names one of them, and everyone who would now rank one of them above their last
    stored partner. Scores are symmetric (the engine averages both directions of a
    pair), so one full row per changed organisation finds the last group. Each
    refreshed list keeps its stored length; ``top`` is for lists not stored before.
    Scores are corrected by each text's neighbourhood in the whole directory, so rows
    not refreshed here may be a point or two stale until the next full computation.
    """
    ids = [int(i) for i in ids]
    with _lock:
        report = sync()
        m = matcher()
        live = [i for i in ids if i in _known]
        stored: dict[int, tuple[float, int]] = {}  # organisation -> (lowest stored score, stored rows)
        for org_id, score in MatchResult.objects.values_list("organisation_id", "score"):
            low, n = stored.get(org_id, (float("inf"), 0))
            stored[org_id] = (min(low, score), n + 1)
        if stored and len(live) > max(BULK_CHANGES, len(m) // 20):
            # A bulk change (an import): one batch over everyone is cheaper than a full row per change.
            results = m.match_all(max([top, *(n for _, n in stored.values())]))
            keep = set(stored) | set(live)
            names = _sector_names()
            results = {pid: _readable(ms[: stored[pid][1]] if pid in stored else ms, names)
                       for pid, ms in results.items() if pid in keep}
            rows = _store(results, m.config.cross_border)
            return {"encoded": report.encoded, "refreshed": len(results), "rows": rows}
        affected: set[int] = set(live) if stored else set()
        affected |= set(MatchResult.objects.filter(partner_id__in=ids).values_list("organisation_id", flat=True))
        for pid in live:
            for match in m.match_one(pid, top=len(m)):
                other = int(match.id)
                if other in stored and match.score > stored[other][0]:
                    affected.add(other)
        # Nothing is stored before the first batch: then only pages that ask compute anything.
        todo = [i for i in affected if i in _known]
        MatchResult.objects.filter(organisation_id__in=[i for i in ids if i not in _known]).delete()
        names = _sector_names()
        results = {pid: _readable(m.match_one(pid, stored[pid][1] if pid in stored else top), names) for pid in todo}
        rows = _store(results, m.config.cross_border) if results else 0
        return {"encoded": report.encoded, "refreshed": len(results), "rows": rows}
