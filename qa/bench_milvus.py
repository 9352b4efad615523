"""The Milvus store measured beside FAISS: CMRC2018 retrieval and a scale run of generated passages.

`qa bench --store milvus --data …` adds Milvus's rankings of the very passages and vectors FAISS
was given; `qa bench --scale N` fills both stores with N generated passages (random unit vectors,
Chinese texts drawn from the seeds' words), each store in its own process so its memory is its own.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from . import bench, clean, embed, index, ingest, lexical
from .faiss_store import FaissStore
from .milvus_store import MilvusStore
from .settings import PROJECT, Settings
from .store import Entry, Record, Store, Weights

PASSAGES_PER_ARTICLE = 10
QUERIES = 200


def rows(built: index.Index, articles: dict[str, clean.Article], queries: list[dict], embedding: float) -> list:
    """Milvus's BM25, dense and hybrid rankings (each fusion) of `built`'s passages, its vectors reused."""
    settings = built.settings
    with tempfile.TemporaryDirectory() as folder:
        scratch = replace(settings, index=Path(folder), milvus_collection=f"qa_bench_{os.getpid()}")
        began = time.perf_counter()
        store = MilvusStore.create(scratch)
        index.fill(store, [built.store], articles, {d: "" for d in articles}, scratch)
        store.commit()
        seconds = embedding + time.perf_counter() - began
        variants = {
            "Milvus BM25, jieba analyzer": (replace(settings, weight_dense=0), "ours"),
            "Milvus dense, HNSW": (replace(settings, weight_words=0, weight_bigrams=0), "ours"),
            "Milvus hybrid, our fusion": (settings, "ours"),
            "Milvus hybrid, WeightedRanker": (settings, "weighted"),
            "Milvus hybrid, RRFRanker(60)": (settings, "rrf"),
        }
        found = []
        for name, (variant, fusion) in variants.items():
            store.fusion = fusion
            found.append(bench.score(name, index.Index(variant, store), queries, seconds, len(articles)))
        store.client.drop_collection(store.name)
    return found


def scale(settings: Settings, size: int) -> str:
    """Index time, disk, memory and search latency of `size` generated passages in Milvus Lite and in FAISS."""
    context = multiprocessing.get_context("spawn")
    results = []
    for kind in ("milvus", "faiss"):
        with context.Pool(1) as pool:
            results.append(pool.apply(_fill_and_search, (settings, kind, size)))
    header = ["store", "passages", "index s", "disk MB", "RSS before MB", "RSS after MB", "peak RSS MB"]
    header += ["hybrid p50 ms", "p95 ms", "dense p50 ms", "BM25 p50 ms"]
    note = f"\nsearch times without the model (about 10 ms more for embedding a question); {QUERIES} queries, k=5"
    return bench.markdown(header, results) + note


def _fill_and_search(settings: Settings, kind: str, size: int) -> list[object]:
    """One store's figures, measured in this (child) process."""
    entries = _generated(size)
    queries = _generated(QUERIES, seed=1)
    before = _rss()
    with tempfile.TemporaryDirectory() as folder:
        scratch = replace(settings, index=Path(folder), milvus_uri="", milvus_collection="qa_scale")
        began = time.perf_counter()
        store: Store = MilvusStore.create(scratch) if kind == "milvus" else FaissStore(scratch, scratch.index)
        for entry in entries:
            store.put(entry)
        store.commit()
        seconds = time.perf_counter() - began
        disk = sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file()) / 2**20
        del entries
        after = _rss()
        times = {method: _latencies(store, queries, method) for method in ("hybrid", "dense", "bm25")}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    hybrid = times["hybrid"]
    return [
        "Milvus Lite" if kind == "milvus" else "FAISS + bm25s",
        size,
        f"{seconds:.0f}",
        f"{disk:.0f}",
        f"{before:.0f}",
        f"{after:.0f}",
        f"{peak:.0f}",
        f"{np.percentile(hybrid, 50):.1f}",
        f"{np.percentile(hybrid, 95):.1f}",
        f"{np.percentile(times['dense'], 50):.1f}",
        f"{np.percentile(times['bm25'], 50):.1f}",
    ]


def _latencies(store: Store, queries: list[Entry], method: str) -> list[float]:
    """Search times of each generated passage's first 20 characters and its vector."""
    weights = Weights(0.0 if method == "bm25" else 1.0, 0.0 if method == "dense" else 0.1, 0.05)
    times = []
    for entry in queries:
        for record, vector in zip(entry.records, entry.vectors):
            text = entry.article.text[record.start : record.start + 20]
            times.append(_timed(store, method, text, vector, weights))
    return times


def _timed(store: Store, method: str, text: str, vector: np.ndarray, weights: Weights) -> float:
    began = time.perf_counter()
    if method == "bm25":
        store.lexical(text, 5, weights)
    elif method == "dense":
        store.dense(vector, 5)
    else:
        store.hybrid(text, vector, 5, weights)
    return (time.perf_counter() - began) * 1000


def _generated(size: int, seed: int = 0) -> list[Entry]:
    """`size` passages in articles of PASSAGES_PER_ARTICLE: words of the seeds at random, unit vectors at random."""
    rng = np.random.default_rng(seed)
    vocabulary = _vocabulary()
    entries = []
    for first in range(0, size, PASSAGES_PER_ARTICLE):
        count = min(PASSAGES_PER_ARTICLE, size - first)
        passages = ["".join(rng.choice(vocabulary, rng.integers(40, 90))) + "。" for _ in range(count)]
        title = "".join(rng.choice(vocabulary, 4))
        text = f"{title}\n\n" + "\n".join(passages)
        starts = np.cumsum([len(title) + 2] + [len(p) + 1 for p in passages[:-1]])
        records = [Record(f"g{seed}-{first}", int(s), int(s) + len(p)) for s, p in zip(starts, passages)]
        vectors = rng.standard_normal((count, embed.DIMENSION), dtype=np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        entries.append(Entry(clean.Article(f"g{seed}-{first}", title, "", "", text), "", records, vectors))
    return entries


def _vocabulary() -> np.ndarray:
    sources, _ = ingest.read_folder(PROJECT / "seeds")
    words = {w for s in sources for w in lexical.words(s.raw) if lexical.CJK.match(w)}
    return np.array(sorted(words))


def _rss() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
