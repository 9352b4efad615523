"""The default store: FAISS for vectors and bm25s for words and bigrams, searched inside the process.

A store is built in memory, then saved as a new version of the index folder (qa/versions.py), so a
build never changes the version being served. Its FAISS and BM25 indexes are made again whenever
passages were put or dropped since the last search.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import faiss
import numpy as np

from . import clean, embed, lexical, retrieve, versions
from .retrieve import Hit
from .settings import Settings
from .store import Entry, Record, Store, Weights, check_manifest, expected_manifest, hit, indexed_text
from .versions import IndexUnavailable

Searchers = tuple[faiss.Index, lexical.BM25, lexical.BM25]


class FaissStore(Store):
    """Articles, passages and vectors in memory; `commit` saves them as a version of `folder`, if one is given."""

    def __init__(self, settings: Settings, folder: Path | None = None, manifest: dict | None = None) -> None:
        self.settings = settings
        self.folder = folder
        built = manifest or expected_manifest(settings)
        self._built = {k: v for k, v in built.items() if k not in ("articles", "passages")}
        self._articles: dict[str, clean.Article] = {}
        self._digests: dict[str, str] = {}
        self._records: list[Record] = []
        self._vectors = np.zeros((0, embed.DIMENSION), dtype=np.float32)
        self._pending: list[np.ndarray] = []
        self._searchers: Searchers | None = None
        self._rows: dict[str, list[int]] | None = None

    @property
    def manifest(self) -> dict:
        return {**self._built, "articles": dict(self._digests), "passages": len(self._records)}

    @property
    def articles(self) -> dict[str, clean.Article]:
        return self._articles

    @property
    def records(self) -> list[Record]:
        return self._records

    @property
    def vectors(self) -> np.ndarray:
        """Every passage's vector, in the order of `records`."""
        if self._pending:
            self._vectors = np.concatenate([self._vectors, *self._pending])
            self._pending = []
        return self._vectors

    def count(self) -> int:
        return len(self._records)

    def put(self, entry: Entry) -> None:
        doc_id = entry.article.doc_id
        self.drop(doc_id)
        self._articles[doc_id] = entry.article
        self._digests[doc_id] = entry.digest
        self._records.extend(entry.records)
        self._pending.append(np.asarray(entry.vectors, dtype=np.float32).reshape(-1, embed.DIMENSION))
        self._changed()

    def drop(self, doc_id: str) -> None:
        if doc_id not in self._articles:
            return
        kept = [i for i, r in enumerate(self._records) if r.doc_id != doc_id]
        self._vectors = self.vectors[kept]
        self._records = [self._records[i] for i in kept]
        del self._articles[doc_id], self._digests[doc_id]
        self._changed()

    def _changed(self) -> None:
        self._searchers = None
        self._rows = None

    def unchanged(self, doc_id: str, digest: str, article: clean.Article) -> bool:
        return self._digests.get(doc_id) == digest and self._articles.get(doc_id) == article

    def entry(self, doc_id: str) -> Entry:
        rows = self._rows_of(doc_id)
        return Entry(
            self._articles[doc_id], self._digests[doc_id], [self._records[i] for i in rows], self.vectors[rows]
        )

    def _rows_of(self, doc_id: str) -> list[int]:
        if self._rows is None:
            self._rows = {}
            for i, record in enumerate(self._records):
                self._rows.setdefault(record.doc_id, []).append(i)
        return self._rows.get(doc_id, [])

    def passages(self, doc_id: str) -> list[Hit]:
        return [self._hit(i, 0.0) for i in self._rows_of(doc_id)]

    def dense(self, vector: np.ndarray, k: int) -> list[Hit]:
        return self._rank("", vector, k, Weights(1.0, 0.0, 0.0))

    def lexical(self, query: str, k: int, weights: Weights) -> list[Hit]:
        return self._rank(query, None, k, Weights(0.0, weights.words, weights.bigrams))

    def hybrid(self, query: str, vector: np.ndarray, k: int, weights: Weights) -> list[Hit]:
        return self._rank(query, vector, k, weights)

    def _rank(self, query: str, vector: np.ndarray | None, k: int, weights: Weights) -> list[Hit]:
        """Fuse the candidates of every weighted ranking: the union of each one's top list."""
        if not self._records or k <= 0:
            return []
        dense, words, bigrams = self._ready()
        wanted = self.settings.candidates
        columns: list[np.ndarray] = []
        used: list[float] = []
        candidates: set[int] = set()
        for bm25, weight in ((words, weights.words), (bigrams, weights.bigrams)):
            if weight:
                columns.append(bm25.scores(query))
                used.append(weight)
                candidates.update(retrieve.top_ids(columns[-1], wanted).tolist())
        if weights.dense:
            _, found = dense.search(vector.reshape(1, -1), min(wanted, len(self._records)))
            candidates.update(int(i) for i in found[0] if i >= 0)
        ids = np.fromiter(sorted(candidates), dtype=np.int64)
        columns = [c[ids] for c in columns]
        if weights.dense:
            columns.append(self.vectors[ids] @ vector.reshape(-1))
            used.append(weights.dense)
        fused = retrieve.fuse(columns, used)
        order = np.argsort(-fused, kind="stable")[:k]
        return [self._hit(int(ids[i]), float(fused[i])) for i in order]

    def _hit(self, row: int, score: float) -> Hit:
        record = self._records[row]
        return hit(self._articles[record.doc_id], record, score)

    def _ready(self) -> Searchers:
        """The FAISS and BM25 indexes of the passages as they are now, made if need be."""
        if self._searchers is None:
            texts = [indexed_text(self._articles[r.doc_id], r) for r in self._records]
            self._searchers = (
                faiss_index(self.vectors, self.settings.ann_threshold),
                lexical.BM25(lexical.words).fit(texts),
                lexical.BM25(lexical.bigrams).fit(texts),
            )
        return self._searchers

    @property
    def searchers(self) -> Searchers:
        """The FAISS index and the two BM25 indexes (jieba words, character bigrams)."""
        return self._ready()

    def commit(self) -> None:
        """Save as a new version of `folder` (held by versions.locked) and make it the live one."""
        if self.folder is not None:
            self._ready()
            self.version = versions.publish(self.folder, self._write)

    def _write(self, target: Path) -> None:
        dense, words, bigrams = self._ready()
        (target / "manifest.json").write_text(json.dumps(self.manifest, ensure_ascii=False, indent=1), "utf-8")
        _write_jsonl(target / "articles.jsonl", (asdict(a) for a in self._articles.values()))
        _write_jsonl(target / "passages.jsonl", (asdict(r) for r in self._records))
        faiss.write_index(dense, str(target / "dense.faiss"))
        words.save(target / "words")
        bigrams.save(target / "bigrams")

    @classmethod
    def load(cls, version: Path, settings: Settings) -> FaissStore:
        """The store saved in the folder `version`, checked against `settings` and for consistency."""
        rebuild = f"请运行 qa index --full --index {version.parent} 重建索引"
        try:
            manifest = json.loads((version / "manifest.json").read_text("utf-8"))
            check_manifest(manifest, settings, rebuild)
            articles = {a["doc_id"]: clean.Article(**a) for a in read_jsonl(version / "articles.jsonl")}
            records = [Record(**r) for r in read_jsonl(version / "passages.jsonl")]
            dense = faiss.read_index(str(version / "dense.faiss"))
            words = lexical.BM25.load(version / "words", lexical.words)
            bigrams = lexical.BM25.load(version / "bigrams", lexical.bigrams)
        except IndexUnavailable:
            raise
        except (OSError, ValueError, KeyError, TypeError, RuntimeError) as error:
            raise IndexUnavailable(f"索引已损坏（{type(error).__name__}: {error}）：{rebuild}") from error
        sizes = {dense.ntotal, words.model.scores["num_docs"], bigrams.model.scores["num_docs"]}
        if sizes != {len(records)} or any(r.doc_id not in articles for r in records):
            raise IndexUnavailable(f"索引文件互不一致（段落 {len(records)}，向量 {dense.ntotal}）：{rebuild}")
        store = cls(settings, version.parent, manifest)
        store._articles, store._digests, store._records = articles, dict(manifest.get("articles", {})), records
        if dense.ntotal:
            store._vectors = dense.reconstruct_n(0, dense.ntotal)
        store._searchers = (dense, words, bigrams)
        store.version = version.name
        return store


def faiss_index(vectors: np.ndarray, ann_threshold: int) -> faiss.Index:
    """Exact inner product for small collections, HNSW above `ann_threshold` passages."""
    if len(vectors) > ann_threshold:
        dense = faiss.IndexHNSWFlat(vectors.shape[1], 32, faiss.METRIC_INNER_PRODUCT)
        dense.hnsw.efSearch = 128
    else:
        dense = faiss.IndexFlatIP(embed.DIMENSION)
    if len(vectors):
        dense.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return dense


def _write_jsonl(path: Path, rows: Iterator[dict]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
