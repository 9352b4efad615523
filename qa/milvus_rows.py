"""How the Milvus store lays articles out: the collection's schema, an article's rows, and the article read back.

A row per passage holds the article's id, offsets, title, date, source and file hash, the settings
it was built with, the passage, the m3e vector, and a BM25 sparse vector that Milvus makes itself
from `words` with its jieba analyzer. A row also holds `piece`, its article's text from the
previous passage's end to its own, so an article's rows in order hold the whole cleaned article.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

import numpy as np
from pymilvus import CollectionSchema, DataType, Function, FunctionType, MilvusClient

from . import embed, lexical
from .clean import Article
from .retrieve import Hit
from .store import Entry, Record, fingerprint, indexed_text

if TYPE_CHECKING:
    from .milvus_store import MilvusStore

ANALYZER = {"tokenizer": "jieba"}  # Milvus Lite has no {"type": "chinese"}; `analysed` takes punctuation out
LONGEST = 65_535  # bytes in a Milvus VARCHAR
TEXTS = ("doc_id", "title", "date", "source", "format", "digest", "cleaned", "build", "text", "piece")
HIT_FIELDS = ["doc_id", "start", "end", "title", "text"]
ARTICLE_FIELDS = ["doc_id", "start", "end", "title", "date", "source", "format", "piece", "digest", "cleaned"]
NOT_WORD = re.compile(r"[^\w]+")


def schema() -> CollectionSchema:
    layout = MilvusClient.create_schema(auto_id=False, description="qa: passages of articles")
    layout.add_field("pid", DataType.VARCHAR, is_primary=True, max_length=LONGEST)
    for name in TEXTS:
        layout.add_field(name, DataType.VARCHAR, max_length=LONGEST)
    layout.add_field("start", DataType.INT64)
    layout.add_field("end", DataType.INT64)
    layout.add_field("words", DataType.VARCHAR, max_length=LONGEST, enable_analyzer=True, analyzer_params=ANALYZER)
    layout.add_field("vector", DataType.FLOAT_VECTOR, dim=embed.DIMENSION)
    layout.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    bm25 = Function(
        name="bm25", function_type=FunctionType.BM25, input_field_names=["words"], output_field_names=["sparse"]
    )
    layout.add_function(bm25)
    return layout


def analysed(text: str) -> str:
    """What the analyzer reads: half-width, lower case and simplified, as lexical.words matches; no punctuation."""
    return NOT_WORD.sub(" ", lexical.normalise(text)).strip()


def rows(entry: Entry, built: str) -> list[dict]:
    """The rows of an article, one per passage; `built` is the build settings, as JSON."""
    article = entry.article
    shared = {"doc_id": article.doc_id, "title": article.title, "date": article.date, "source": article.source}
    shared["format"] = article.format
    shared |= {"digest": entry.digest, "cleaned": fingerprint(article), "build": built}
    found = []
    for record, vector, piece in zip(entry.records, entry.vectors, _pieces(article, entry.records)):
        text = article.text[record.start : record.end]
        found.append(
            shared
            | {"pid": f"{article.doc_id}:{record.start}", "start": record.start, "end": record.end, "text": text}
            | {"piece": piece, "words": analysed(indexed_text(article, record)), "vector": vector.tolist()}
        )
    return found


def _pieces(article: Article, records: list[Record]) -> list[str]:
    """The article cut at each passage's end (the last piece to the text's end): joined, they are the article."""
    cuts = [0, *(r.end for r in records[:-1]), len(article.text)]
    return [article.text[a:b] for a, b in zip(cuts, cuts[1:])]


def article(found: list[dict]) -> Article:
    """The article whose rows, in order, are `found`."""
    first = found[0]
    text = "".join(r["piece"] for r in found)
    return Article(first["doc_id"], first["title"], first["date"], first["source"], text, first["format"])


def entry(found: list[dict]) -> Entry:
    """The article whose rows, in order and with their vectors, are `found`."""
    records = [Record(r["doc_id"], r["start"], r["end"]) for r in found]
    vectors = np.array([r["vector"] for r in found], dtype=np.float32).reshape(-1, embed.DIMENSION)
    return Entry(article(found), found[0]["digest"], records, vectors)


def grouped(found: list[dict]) -> dict[str, list[dict]]:
    """Rows by article, articles by id, each article's rows in order."""
    articles: dict[str, list[dict]] = {}
    for row in sorted(found, key=lambda r: (r["doc_id"], r["start"])):
        articles.setdefault(row["doc_id"], []).append(row)
    return articles


def hit(row: dict, score: float) -> Hit:
    return Hit(row["doc_id"], row["title"] or row["doc_id"], row["text"], float(score), row["start"], row["end"])


def literal(text: str) -> str:
    """`text` as a string in a Milvus filter expression."""
    return json.dumps(text, ensure_ascii=False)


class Articles(Mapping[str, Article]):
    """The collection's articles, read when asked for: one query for an article, one scan for all of them."""

    def __init__(self, store: MilvusStore) -> None:
        self._store = store

    def __getitem__(self, doc_id: str) -> Article:
        found = self._store.rows_of(doc_id)
        if not found:
            raise KeyError(doc_id)
        return article(found)

    def __iter__(self) -> Iterator[str]:
        return iter(grouped(self._store.scan(["doc_id", "start"])))

    def __len__(self) -> int:
        return len(grouped(self._store.scan(["doc_id", "start"])))

    def items(self) -> list[tuple[str, Article]]:  # type: ignore[override]
        return [(d, article(rows)) for d, rows in grouped(self._store.scan(ARTICLE_FIELDS)).items()]

    def values(self) -> list[Article]:  # type: ignore[override]
        return [found for _, found in self.items()]
