"""Index: build, update, persist and open the passage index (FAISS + BM25 + passages + manifest).

Each build is saved as a new version of the index folder; qa/versions.py keeps the versions and
the pointer to the live one.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path

import faiss
import numpy as np

from . import chunk, clean, embed, ingest, lexical, retrieve, versions
from .settings import Settings, load
from .versions import IndexUnavailable, live_version

FORMAT = 2  # 2: BM25 words matched in simplified characters


@dataclass(frozen=True)
class Summary:
    articles: int
    passages: int
    embedded: int
    seconds: float
    skipped: list[ingest.Skipped | ingest.Repaired] = field(default_factory=list)

    def line(self) -> str:
        text = f"{self.articles} 篇文章，{self.passages} 段，重新嵌入 {self.embedded} 篇，用时 {self.seconds:.1f} 秒"
        return text + "".join(f"\n{s.line()}" for s in self.skipped)


@dataclass(frozen=True)
class Record:
    """A passage as stored: its article and character span."""

    doc_id: str
    start: int
    end: int


class Index:
    """A loaded index: search it with `search`, list its articles with `articles`."""

    def __init__(
        self,
        settings: Settings,
        manifest: dict,
        articles: dict[str, clean.Article],
        records: list[Record],
        vectors: np.ndarray,
        dense: faiss.Index | None = None,
        words: lexical.BM25 | None = None,
        bigrams: lexical.BM25 | None = None,
    ) -> None:
        self.settings = settings
        self.version = ""  # the folder name of the saved version this index was loaded from or saved as
        self.manifest = manifest
        self.articles = articles
        self.records = records
        self.vectors = vectors
        texts = [indexed_text(articles[r.doc_id], r) for r in records]
        self.dense = dense if dense is not None else faiss_index(vectors, settings.ann_threshold)
        self.words = words or lexical.BM25(lexical.words).fit(texts)
        self.bigrams = bigrams or lexical.BM25(lexical.bigrams).fit(texts)

    @cached_property
    def _positions(self) -> dict[tuple[str, int], int]:
        return {(r.doc_id, r.start): i for i, r in enumerate(self.records)}

    def following(self, hit: retrieve.Hit) -> retrieve.Hit | None:
        """The passage after `hit` in its article, if there is one."""
        i = self._positions.get((hit.doc_id, hit.start), len(self.records)) + 1
        return self.hit(i, 0.0) if i < len(self.records) and self.records[i].doc_id == hit.doc_id else None

    @property
    def encoder(self) -> embed.Encoder:
        return embed.encoder(self.settings.backend, self.settings.cache)

    def search(self, question: str, k: int = 5, method: str = "hybrid") -> list[retrieve.Hit]:
        """The k best passages for `question` by `method` (hybrid, dense or bm25)."""
        if method not in retrieve.METHODS:
            raise ValueError(f"未知的检索方式 {method!r}：可选 {', '.join(retrieve.METHODS)}")
        query = retrieve.prepare_query(question)
        if not self.records or k <= 0:
            return []
        ids, scores = self._rank(query, method)
        return [self.hit(int(i), float(s)) for i, s in zip(ids[:k], scores[:k])]

    def _rank(self, query: str, method: str) -> tuple[np.ndarray, np.ndarray]:
        """Candidate passage ids and their fused scores, best first."""
        s = self.settings
        lexical_weights = (0.0, 0.0) if method == "dense" else (s.weight_words, s.weight_bigrams)
        dense_weight = 0.0 if method == "bm25" else s.weight_dense
        columns: list[np.ndarray] = []
        weights: list[float] = []
        candidates: set[int] = set()
        for bm25, weight in zip((self.words, self.bigrams), lexical_weights):
            if weight:
                columns.append(bm25.scores(query))
                weights.append(weight)
                candidates.update(retrieve.top_ids(columns[-1], s.candidates).tolist())
        if dense_weight:
            vector = self.encoder.encode([query])
            _, found = self.dense.search(vector, min(s.candidates, len(self.records)))
            candidates.update(int(i) for i in found[0] if i >= 0)
        ids = np.fromiter(sorted(candidates), dtype=np.int64)
        columns = [c[ids] for c in columns]
        if dense_weight:
            columns.append(self.vectors[ids] @ vector[0])
            weights.append(dense_weight)
        fused = retrieve.fuse(columns, weights)
        order = np.argsort(-fused, kind="stable")
        return ids[order], fused[order]

    def hit(self, i: int, score: float) -> retrieve.Hit:
        record = self.records[i]
        article = self.articles[record.doc_id]
        text = article.text[record.start : record.end]
        title = article.title or record.doc_id  # an untitled article is shown by its file name
        return retrieve.Hit(record.doc_id, title, text, score, record.start, record.end)

    def save(self, folder: Path) -> None:
        """Write this index as a new version of `folder` (held by versions.locked) and make it the live one."""
        self.version = versions.publish(folder, self._write)

    def _write(self, target: Path) -> None:
        (target / "manifest.json").write_text(json.dumps(self.manifest, ensure_ascii=False, indent=1), "utf-8")
        _write_jsonl(target / "articles.jsonl", (asdict(a) for a in self.articles.values()))
        _write_jsonl(target / "passages.jsonl", (asdict(r) for r in self.records))
        faiss.write_index(self.dense, str(target / "dense.faiss"))
        self.words.save(target / "words")
        self.bigrams.save(target / "bigrams")


def indexed_text(article: clean.Article, record: Record) -> str:
    """What BM25 and the embedding see: the passage, preceded by its article's title."""
    text = article.text[record.start : record.end]
    return text if not article.title or text.startswith(article.title) else f"{article.title}\n{text}"


def expected_manifest(settings: Settings) -> dict:
    return {
        "format": FORMAT,
        "model": embed.MODEL_NAME,
        "dimension": embed.DIMENSION,
        "min_chars": settings.min_chars,
        "max_chars": settings.max_chars,
    }


def open_index(folder: Path | str, settings: Settings | None = None) -> Index:
    """Load the live version of the index in `folder`; IndexUnavailable says how to fix a problem."""
    return _load(live_version(Path(folder)), settings or load())


def restore(folder: Path | str, name: str, settings: Settings) -> Index:
    """Make the saved version `name` live again once it opens; nothing is built or pruned."""
    folder = Path(folder)
    if not folder.is_dir():
        raise IndexUnavailable(f"索引目录不存在：{folder}")
    with versions.locked(folder):
        index = _load(versions.saved(folder, name), settings)
        versions.point(folder, name)
    return index


def _load(version: Path, settings: Settings) -> Index:
    """The index saved in the folder `version`, checked against `settings` and for consistency."""
    rebuild = f"请运行 qa index --full --index {version.parent} 重建索引"
    try:
        manifest = json.loads((version / "manifest.json").read_text("utf-8"))
        _check_manifest(manifest, settings, rebuild)
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
    vectors = dense.reconstruct_n(0, dense.ntotal) if dense.ntotal else np.zeros((0, embed.DIMENSION), "float32")
    index = Index(settings, manifest, articles, records, vectors, dense, words, bigrams)
    index.version = version.name
    return index


def _check_manifest(manifest: dict, settings: Settings, rebuild: str) -> None:
    expected = expected_manifest(settings)
    different = {k: (manifest.get(k), v) for k, v in expected.items() if manifest.get(k) != v}
    if different:
        detail = "，".join(f"{k}：索引为 {old}，当前为 {new}" for k, (old, new) in different.items())
        raise IndexUnavailable(f"索引的建立方式与当前设置不符（{detail}）：{rebuild}")


def build(settings: Settings, full: bool = False, progress: bool = False) -> tuple[Index, Summary]:
    """Index `settings.articles` into `settings.index`, re-embedding only new or changed articles."""
    began = time.perf_counter()
    articles, hashes, skipped = _read(settings.articles)
    with versions.locked(settings.index):
        old = None if full else _previous(settings)
        index, embedded = assemble(settings, articles, hashes, old, progress)
        index.save(settings.index)
    summary = Summary(len(articles), len(index.records), embedded, time.perf_counter() - began, skipped)
    return index, summary


def _read(folder: Path) -> tuple[dict[str, clean.Article], dict[str, str], list[ingest.Skipped | ingest.Repaired]]:
    """The cleaned articles of `folder`, their hashes and the files skipped; IndexUnavailable if none is left."""
    sources, skipped = ingest.read_folder(folder)
    articles: dict[str, clean.Article] = {}
    hashes: dict[str, str] = {}
    for source in sources:
        article = clean.clean(source.doc_id, source.raw)
        if not article.text.strip():
            skipped.append(ingest.Skipped(source.path, "清洗后没有正文"))
            continue
        articles[source.doc_id] = article
        hashes[source.doc_id] = hashlib.sha256(source.raw.encode("utf-8")).hexdigest()
    if not articles:
        passed = sum(isinstance(s, ingest.Skipped) for s in skipped)
        why = f"（跳过 {passed} 个文件）" if passed else ""
        raise IndexUnavailable(f"文章目录 {folder} 中没有可索引的文章{why}：没有发布新索引")
    return articles, hashes, skipped


def assemble(
    settings: Settings,
    articles: dict[str, clean.Article],
    hashes: dict[str, str],
    old: Index | None = None,
    progress: bool = False,
) -> tuple[Index, int]:
    """An in-memory index of `articles`, reusing `old`'s vectors for articles whose hash is unchanged."""
    old_hashes = old.manifest["articles"] if old else {}
    reused = {d for d in articles if old_hashes.get(d) == hashes[d] and old.articles.get(d) == articles[d]}
    old_rows = {}
    if old:
        for row, record in enumerate(old.records):
            old_rows.setdefault(record.doc_id, []).append(row)
    records: list[Record] = []
    rows: list[int | None] = []
    for doc_id, article in articles.items():
        if doc_id in reused:
            records.extend(old.records[r] for r in old_rows.get(doc_id, []))
            rows.extend(old_rows.get(doc_id, []))
            continue
        for p in chunk.chunk(article.text, settings.min_chars, settings.max_chars):
            records.append(Record(doc_id, p.start, p.end))
            rows.append(None)
    fresh = [i for i, row in enumerate(rows) if row is None]
    vectors = np.zeros((len(records), embed.DIMENSION), dtype=np.float32)
    if old and len(fresh) < len(records):
        kept = [i for i, row in enumerate(rows) if row is not None]
        vectors[kept] = old.vectors[[rows[i] for i in kept]]
    if fresh:
        texts = [indexed_text(articles[records[i].doc_id], records[i]) for i in fresh]
        vectors[fresh] = embed.encoder(settings.backend, settings.cache).encode(texts, progress)
    manifest = {**expected_manifest(settings), "articles": hashes, "passages": len(records)}
    return Index(settings, manifest, articles, records, vectors), len(articles) - len(reused)


def _previous(settings: Settings) -> Index | None:
    """The current index if it can be reused for an incremental update."""
    try:
        return open_index(settings.index, settings)
    except IndexUnavailable:
        return None


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
