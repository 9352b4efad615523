"""Benchmark: BM25 (words, bigrams), dense and fused retrieval side by side on CMRC2018.

Every method runs in one process over the same index, so the figures compare fairly.
`tune` grid-searches the fusion weights on a (trial) split.
"""

from __future__ import annotations

import itertools
import resource
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from . import clean, embed, faiss_store, index, ingest
from .settings import Settings
from .store import chosen

DEPTH = 60  # passages fetched per query, enough for 20 distinct articles
LEXICAL_GRID = (0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1)
GRID = {"weight_words": LEXICAL_GRID, "weight_bigrams": LEXICAL_GRID, "weight_dense": (0, 1)}  # only ratios matter


@dataclass(frozen=True)
class Row:
    method: str
    recall1: float
    recall5: float
    recall20: float
    mrr10: float
    index_seconds: float
    passages_per_second: float
    p50_ms: float
    p95_ms: float
    peak_mb: float


def load(data: Path, limit: int | None = None) -> tuple[dict[str, clean.Article], list[dict]]:
    """CMRC corpus as articles (title line, blank line, text) and its questions."""
    data = Path(data)
    corpus = index.read_jsonl(data / "corpus.jsonl")
    queries = index.read_jsonl(data / "queries.jsonl")
    articles = {c["id"]: clean.Article(c["id"], c["title"], "", "", f"{c['title']}\n\n{c['text']}") for c in corpus}
    return articles, queries[:limit] if limit else queries


def run(data: Path, settings: Settings, limit: int | None = None) -> list[Row]:
    """Index once, then score every method on the same questions."""
    articles, queries = load(data, limit)
    hashes = {d: "" for d in articles}
    began = time.perf_counter()
    built, _ = index.assemble(settings, articles, hashes)
    dense_seconds = time.perf_counter() - began
    lexical_seconds = _time(lambda: built.store.searchers)
    total = dense_seconds + lexical_seconds
    methods = {
        "BM25, jieba words": (replace(settings, weight_bigrams=0, weight_dense=0), lexical_seconds / 2),
        "BM25, character bigrams": (replace(settings, weight_words=0, weight_dense=0), lexical_seconds / 2),
        "dense m3e-small": (replace(settings, weight_words=0, weight_bigrams=0), dense_seconds),
        "fused (tuned on trial)": (settings, total),
    }
    rows = [
        score(name, index.Index(variant, built.store), queries, seconds, len(articles))
        for name, (variant, seconds) in methods.items()
    ]
    if chosen(settings) == "milvus":
        from . import bench_milvus

        rows += bench_milvus.rows(built, articles, queries, dense_seconds)
    return rows


def score(name: str, searcher: index.Index, queries: list[dict], seconds: float, passages: int) -> Row:
    """The row of one method: its ranks for `queries`, its latencies, and `passages` indexed in `seconds`."""
    ranks, latencies = _evaluate(searcher, queries)
    return _row(name, ranks, latencies, seconds, passages)


def seed_timing(settings: Settings) -> str:
    """How long indexing `settings.articles` takes once the model is loaded (read, clean, chunk, embed, BM25)."""
    embed.encoder(settings.backend, settings.cache).encode(["预热"])
    began = time.perf_counter()
    sources, _ = ingest.read_folder(settings.articles)
    articles = {s.doc_id: clean.clean(s.doc_id, s.raw, s.format) for s in sources}
    built, _ = index.assemble(settings, articles, {d: "" for d in articles})
    built.store.searchers  # noqa: B018 (BM25 and FAISS are made on first use: time them too)
    seconds = time.perf_counter() - began
    return (
        f"{settings.articles.name}/: {len(articles)} articles, {len(built.records)} passages indexed in "
        f"{seconds:.1f} s with the model loaded"
    )


def faiss_scaling(sizes: tuple[int, ...] = (5_000, 10_000, 50_000)) -> str:
    """Exact versus HNSW search time on random unit vectors: where the approximate index pays off."""
    rows = []
    rng = np.random.default_rng(0)
    for size in sizes:
        vectors = rng.standard_normal((size, embed.DIMENSION), dtype=np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        query = vectors[:1]
        exact = faiss_store.faiss_index(vectors, ann_threshold=size)
        began = time.perf_counter()
        approximate = faiss_store.faiss_index(vectors, ann_threshold=0)
        build = time.perf_counter() - began
        times = [
            _time(lambda i=i, q=query: [i.search(q, 50) for _ in range(20)]) / 20 * 1000 for i in (exact, approximate)
        ]
        rows.append([size, f"{times[0]:.2f}", f"{times[1]:.2f}", f"{build:.1f}"])
    return markdown(["passages", "exact search ms", "HNSW search ms", "HNSW build s"], rows)


def _time(work) -> float:
    began = time.perf_counter()
    work()
    return time.perf_counter() - began


def _evaluate(searcher: index.Index, queries: list[dict]) -> tuple[list[int | None], list[float]]:
    ranks: list[int | None] = []
    latencies: list[float] = []
    for query in queries:
        began = time.perf_counter()
        hits = searcher.search(query["question"], k=DEPTH)
        latencies.append((time.perf_counter() - began) * 1000)
        docs = list(dict.fromkeys(h.doc_id for h in hits))
        ranks.append(docs.index(query["gold_id"]) if query["gold_id"] in docs else None)
    return ranks, latencies


def _row(name: str, ranks: list[int | None], latencies: list[float], seconds: float, passages: int) -> Row:
    def recall(k: int) -> float:
        return sum(r is not None and r < k for r in ranks) / len(ranks)

    mrr = sum(1 / (r + 1) for r in ranks if r is not None and r < 10) / len(ranks)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return Row(
        name,
        recall(1),
        recall(5),
        recall(20),
        mrr,
        seconds,
        passages / max(seconds, 1e-9),
        float(np.percentile(latencies, 50)),
        float(np.percentile(latencies, 95)),
        peak,
    )


def markdown(header: list[str], rows: list[list[object]]) -> str:
    """A Markdown table: the shape every report of this project prints."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def table(rows: list[Row]) -> str:
    """The rows as a Markdown table."""
    header = [
        "method",
        "R@1",
        "R@5",
        "R@20",
        "MRR@10",
        "index s",
        "passages/s",
        "query p50 ms",
        "p95 ms",
        "peak RSS MB",
    ]
    return markdown(
        header,
        [
            [
                r.method,
                f"{r.recall1:.3f}",
                f"{r.recall5:.3f}",
                f"{r.recall20:.3f}",
                f"{r.mrr10:.3f}",
                f"{r.index_seconds:.1f}",
                f"{r.passages_per_second:.1f}",
                f"{r.p50_ms:.1f}",
                f"{r.p95_ms:.1f}",
                f"{r.peak_mb:.0f}",
            ]
            for r in rows
        ],
    )


def tune(data: Path, settings: Settings, limit: int | None = None) -> tuple[dict[str, float], float]:
    """Fusion weights with the best MRR@10 on `data` (use the trial split), by exhaustive grid."""
    articles, queries = load(data, limit)
    built, _ = index.assemble(settings, articles, {d: "" for d in articles})
    docs = np.array([r.doc_id for r in built.records])
    _, words, bigrams = built.store.searchers
    questions = [q["question"] for q in queries]
    columns = [
        np.stack([words.scores(q) for q in questions]),
        np.stack([bigrams.scores(q) for q in questions]),
        embed.encoder(settings.backend, settings.cache).encode(questions) @ built.vectors.T,
    ]
    columns = [c / np.maximum(c.max(axis=1, keepdims=True), 1e-9) for c in columns]
    gold = np.array([q["gold_id"] for q in queries])
    best: tuple[float, dict[str, float]] = (-1.0, {})
    for combo in itertools.product(*GRID.values()):
        if not any(combo):
            continue
        fused = sum(w * c for w, c in zip(combo, columns))
        score = _mrr(fused, docs, gold)
        if score > best[0]:
            best = (score, dict(zip(GRID, combo)))
    return best[1], best[0]


def _mrr(fused: np.ndarray, docs: np.ndarray, gold: np.ndarray) -> float:
    total = 0.0
    for row, answer in zip(fused, gold):
        ranked = list(dict.fromkeys(docs[np.argsort(-row, kind="stable")[:DEPTH]]))[:10]
        total += 1 / (ranked.index(answer) + 1) if answer in ranked else 0.0
    return total / len(gold)
