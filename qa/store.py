"""Store: where an index keeps its passages, their vectors and their lexical index.

Two stores keep them: FAISS and bm25s files in a versioned folder, searched inside the process
(qa/faiss_store.py, the default), and a Milvus collection (qa/milvus_store.py) for an archive that
outgrows one machine. `qa.Index` embeds the question and asks its store; fusion, reading and
answering never know which store ranked the passages.
"""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import asdict, dataclass

import numpy as np

from . import embed
from .clean import Article
from .retrieve import Hit
from .settings import Settings
from .versions import IndexUnavailable

FORMAT = 2  # 2: BM25 words matched in simplified characters
STORES = ("faiss", "milvus")


@dataclass(frozen=True)
class Record:
    """A passage as stored: its article and character span."""

    doc_id: str
    start: int
    end: int


@dataclass(frozen=True)
class Weights:
    """How much each ranking counts in a search; a ranking weighted 0 is not consulted."""

    dense: float
    words: float
    bigrams: float

    @classmethod
    def of(cls, settings: Settings, method: str) -> Weights:
        """The settings' fusion weights, with the rankings `method` leaves out set to 0."""
        lexical = 0.0 if method == "dense" else 1.0
        dense = 0.0 if method == "bm25" else settings.weight_dense
        return cls(dense, lexical * settings.weight_words, lexical * settings.weight_bigrams)


@dataclass(frozen=True)
class Entry:
    """An article as a store keeps it: the cleaned article, its file's hash, its passages and their vectors."""

    article: Article
    digest: str
    records: list[Record]
    vectors: np.ndarray


class Store(ABC):
    """Passages of articles, each with its vector and its lexical index, searched three ways.

    Writers `put` (add or replace) and `drop` an article's passages, then `commit`. The `manifest`
    says how the store was built and which file hash each article had: `qa index` compares it with
    the articles folder to embed only what changed.
    """

    version: str = ""  # the saved version searched; "" for a store that is always live

    @property
    @abstractmethod
    def manifest(self) -> dict:
        """expected_manifest's keys as built, plus "articles" ({doc_id: file hash}) and "passages"."""

    @property
    @abstractmethod
    def articles(self) -> Mapping[str, Article]:
        """The cleaned articles by id."""

    @property
    @abstractmethod
    def records(self) -> list[Record]:
        """Every passage, an article's in order."""

    @property
    @abstractmethod
    def vectors(self) -> np.ndarray:
        """Every passage's vector, in the order of `records`."""

    @abstractmethod
    def count(self) -> int:
        """How many passages are searched."""

    @abstractmethod
    def put(self, entry: Entry) -> None:
        """Add an article's passages, replacing those it had."""

    @abstractmethod
    def drop(self, doc_id: str) -> None:
        """Remove an article and its passages; nothing happens if it is not there."""

    @abstractmethod
    def entry(self, doc_id: str) -> Entry:
        """The article as stored, with its passages' vectors, so another store can take it unembedded."""

    @abstractmethod
    def dense(self, vector: np.ndarray, k: int) -> list[Hit]:
        """The k passages nearest to the question's vector, best first."""

    @abstractmethod
    def lexical(self, query: str, k: int, weights: Weights) -> list[Hit]:
        """The k passages with the best BM25 scores for `query`, best first."""

    @abstractmethod
    def hybrid(self, query: str, vector: np.ndarray, k: int, weights: Weights) -> list[Hit]:
        """The k passages best by the dense and lexical rankings fused with `weights`, best first."""

    @abstractmethod
    def passages(self, doc_id: str) -> list[Hit]:
        """An article's passages in order, scored 0."""

    @abstractmethod
    def unchanged(self, doc_id: str, digest: str, article: Article) -> bool:
        """Whether the store holds `article`, from a file with hash `digest`, as the current settings build it."""

    @abstractmethod
    def commit(self) -> None:
        """Make every put and drop durable and searchable."""


def chosen(settings: Settings) -> str:
    """The store `settings` ask for: QA_STORE, or Milvus when only QA_MILVUS_URI is set, else FAISS."""
    kind = settings.store or ("milvus" if settings.milvus_uri else "faiss")
    if kind not in STORES:
        raise IndexUnavailable(f"未知的存储 {kind!r}（QA_STORE 或 --store）：可选 {'、'.join(STORES)}")
    return kind


def expected_manifest(settings: Settings) -> dict:
    """What an index must have been built with to be searched with `settings`."""
    return {
        "format": FORMAT,
        "model": embed.MODEL_NAME,
        "dimension": embed.DIMENSION,
        "min_chars": settings.min_chars,
        "max_chars": settings.max_chars,
    }


def check_manifest(manifest: dict, settings: Settings, rebuild: str) -> None:
    """IndexUnavailable naming every setting the index was built with differently."""
    expected = expected_manifest(settings)
    different = {k: (manifest.get(k), v) for k, v in expected.items() if manifest.get(k) != v}
    if different:
        detail = "，".join(f"{k}：索引为 {old}，当前为 {new}" for k, (old, new) in different.items())
        raise IndexUnavailable(f"索引的建立方式与当前设置不符（{detail}）：{rebuild}")


def indexed_text(article: Article, record: Record) -> str:
    """What BM25 and the embedding see: the passage, preceded by its article's title."""
    text = article.text[record.start : record.end]
    return text if not article.title or text.startswith(article.title) else f"{article.title}\n{text}"


def hit(article: Article, record: Record, score: float) -> Hit:
    """A passage as a search returns it; an untitled article is shown by its file name."""
    text = article.text[record.start : record.end]
    return Hit(record.doc_id, article.title or record.doc_id, text, score, record.start, record.end)


def fingerprint(article: Article) -> str:
    """A hash of the cleaned article: a changed cleaner changes it even when the file did not change."""
    return hashlib.sha256(json.dumps(asdict(article), ensure_ascii=False).encode("utf-8")).hexdigest()
