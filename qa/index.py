"""Index: build, update and open the passage index, which a store keeps (qa/store.py).

With QA_STORE=faiss (the default) the store is FAISS and bm25s files, each build saved as a new
version of the index folder (qa/versions.py keeps the versions and the pointer to the live one);
with QA_STORE=milvus it is a Milvus collection, updated in place (qa/milvus_store.py).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import chunk, clean, embed, ingest, retrieve, versions
from .faiss_store import FaissStore, read_jsonl  # noqa: F401 (bench and evaluate read JSON lines from here)
from .settings import Settings, load
from .store import Entry, Record, Store, Weights, chosen, indexed_text
from .versions import IndexUnavailable, live_version


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


class Index:
    """A loaded index: search it with `search`, list its articles with `articles`; `store` keeps the passages."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store

    @property
    def version(self) -> str:
        """The saved version searched, "" for a store that is always live (Milvus)."""
        return self.store.version

    @property
    def manifest(self) -> dict:
        return self.store.manifest

    @property
    def articles(self) -> Mapping[str, clean.Article]:
        return self.store.articles

    @property
    def records(self) -> list[Record]:
        return self.store.records

    @property
    def vectors(self) -> np.ndarray:
        return self.store.vectors

    @property
    def encoder(self) -> embed.Encoder:
        return embed.encoder(self.settings.backend, self.settings.cache)

    def following(self, hit: retrieve.Hit) -> retrieve.Hit | None:
        """The passage after `hit` in its article, if there is one."""
        return next((p for p in self.store.passages(hit.doc_id) if p.start > hit.start), None)

    def search(self, question: str, k: int = 5, method: str = "hybrid") -> list[retrieve.Hit]:
        """The k best passages for `question` by `method` (hybrid, dense or bm25)."""
        if method not in retrieve.METHODS:
            raise ValueError(f"未知的检索方式 {method!r}：可选 {', '.join(retrieve.METHODS)}")
        query = retrieve.prepare_query(question)
        if k <= 0:
            return []
        weights = Weights.of(self.settings, method)
        if not weights.dense:
            return self.store.lexical(query, k, weights)
        vector = self.encoder.encode([query])[0]
        if not weights.words and not weights.bigrams:
            return self.store.dense(vector, k)
        return self.store.hybrid(query, vector, k, weights)


def _milvus(settings: Settings) -> bool:
    return chosen(settings) == "milvus"


def open_index(folder: Path | str, settings: Settings | None = None) -> Index:
    """Load the live index of `folder`, or with QA_STORE=milvus the collection; IndexUnavailable says how to fix it."""
    settings = settings or load()
    if _milvus(settings):
        from .milvus_store import MilvusStore

        return Index(settings, MilvusStore.open(settings.with_flags(index=Path(folder))))
    return Index(settings, FaissStore.load(live_version(Path(folder)), settings))


def restore(folder: Path | str, name: str, settings: Settings) -> Index:
    """Make the saved version `name` live again once it opens; nothing is built or pruned."""
    if _milvus(settings):
        raise IndexUnavailable(
            "Milvus 集合没有保存的版本（每次 qa index 原地更新它）：请用 qa index --store milvus 更新"
        )
    folder = Path(folder)
    if not folder.is_dir():
        raise IndexUnavailable(f"索引目录不存在：{folder}")
    with versions.locked(folder):
        index = Index(settings, FaissStore.load(versions.saved(folder, name), settings))
        versions.point(folder, name)
    return index


def address(settings: Settings) -> str:
    """Where the index of `settings` lives: its folder, or its Milvus collection."""
    if _milvus(settings):
        from .milvus_connection import location

        return f"{location(settings)}#{settings.milvus_collection}"
    return str(settings.index)


def current_version(settings: Settings) -> str:
    """The live version's name; "" when there is none to compare, as for a Milvus collection, always live."""
    return "" if _milvus(settings) else versions.current_version(settings.index)


def missing(settings: Settings) -> bool:
    """Whether nothing was ever built where `settings` point (a server's collection is never assumed missing)."""
    if _milvus(settings):
        from .milvus_connection import location

        uri = location(settings)
        return "://" not in uri and not Path(uri).exists()
    return not settings.index.exists()


def build(settings: Settings, full: bool = False, progress: bool = False) -> tuple[Index, Summary]:
    """Index `settings.articles` into the store, re-embedding only new or changed articles (every one if `full`)."""
    began = time.perf_counter()
    articles, hashes, skipped = _read(settings.articles)
    with versions.locked(settings.index):
        previous = None if full else _previous(settings)
        donors = [previous.store] if previous else []
        if _milvus(settings):
            from .milvus_store import MilvusStore

            target: Store = MilvusStore.create(settings)
        else:
            target = FaissStore(settings, settings.index)
        embedded = fill(target, donors, articles, hashes, settings, progress, keep=not full)
        target.commit()
    summary = Summary(len(articles), target.count(), embedded, time.perf_counter() - began, skipped)
    return Index(settings, target), summary


def _read(folder: Path) -> tuple[dict[str, clean.Article], dict[str, str], list[ingest.Skipped | ingest.Repaired]]:
    """The cleaned articles of `folder`, their hashes and the files skipped; IndexUnavailable if none is left."""
    sources, skipped = ingest.read_folder(folder)
    articles: dict[str, clean.Article] = {}
    hashes: dict[str, str] = {}
    for source in sources:
        article = clean.clean(source.doc_id, source.raw, source.format)
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


def fill(
    target: Store,
    donors: list[Store],
    articles: dict[str, clean.Article],
    hashes: dict[str, str],
    settings: Settings,
    progress: bool = False,
    keep: bool = True,
) -> int:
    """Bring `target` to `articles` and return how many articles were embedded.

    An article that `target` holds unchanged stays (with `keep`); one that a donor holds unchanged
    is copied with its vectors, so moving an index to another store embeds nothing; any other is
    chunked and embedded. Articles gone from `articles` are dropped.
    """
    for doc_id in set(target.manifest["articles"]) - set(articles):
        target.drop(doc_id)
    entries: dict[str, Entry | None] = {}
    for doc_id, article in articles.items():
        if keep and target.unchanged(doc_id, hashes[doc_id], article):
            continue
        donor = next((d for d in donors if d.unchanged(doc_id, hashes[doc_id], article)), None)
        entries[doc_id] = donor.entry(doc_id) if donor else None
    fresh = _embedded({d: articles[d] for d, e in entries.items() if e is None}, hashes, settings, progress)
    for doc_id, entry in entries.items():
        target.put(entry or fresh[doc_id])
    return len(fresh)


def _embedded(
    articles: dict[str, clean.Article], hashes: dict[str, str], settings: Settings, progress: bool
) -> dict[str, Entry]:
    """`articles` chunked and embedded, in one pass over the model."""
    records = {
        doc_id: [Record(doc_id, p.start, p.end) for p in chunk.chunk(a.text, settings.min_chars, settings.max_chars)]
        for doc_id, a in articles.items()
    }
    texts = [indexed_text(articles[doc_id], r) for doc_id, rows in records.items() for r in rows]
    vectors = np.zeros((0, embed.DIMENSION), dtype=np.float32)
    if texts:
        vectors = embed.encoder(settings.backend, settings.cache).encode(texts, progress)
    entries: dict[str, Entry] = {}
    at = 0
    for doc_id, rows in records.items():
        entries[doc_id] = Entry(articles[doc_id], hashes[doc_id], rows, vectors[at : at + len(rows)])
        at += len(rows)
    return entries


def assemble(
    settings: Settings,
    articles: dict[str, clean.Article],
    hashes: dict[str, str],
    old: Index | None = None,
    progress: bool = False,
) -> tuple[Index, int]:
    """An in-memory FAISS index of `articles`, taking `old`'s vectors for articles it holds unchanged."""
    store = FaissStore(settings)
    embedded = fill(store, [old.store] if old else [], articles, hashes, settings, progress)
    return Index(settings, store), embedded


def _previous(settings: Settings) -> Index | None:
    """The live FAISS index, if it can be reused for an incremental update (or moved into Milvus)."""
    try:
        return Index(settings, FaissStore.load(live_version(settings.index), settings))
    except IndexUnavailable:
        return None
