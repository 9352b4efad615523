"""Milvus: passages in a Milvus collection, for an archive that outgrows one machine.

QA_MILVUS_URI names a local file ending in .db (Milvus Lite, embedded, started by pymilvus) or a
server (http://host:19530: Milvus standalone or a cluster). Milvus keeps the vectors and makes and
searches the BM25 index itself (qa/milvus_rows.py lays the rows out), so both rankings scale with
it. Writes are upserts, then deletes, on the live collection: a reader never finds an article
missing, and there are no versions to switch.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import numpy as np
from pymilvus import AnnSearchRequest, MilvusClient, MilvusException, RRFRanker, WeightedRanker
from pymilvus.client.types import LoadState
from pymilvus.milvus_client import IndexParams

from . import embed, retrieve
from . import milvus_rows as layout
from .clean import Article
from .milvus_connection import connect, location
from .milvus_rows import ARTICLE_FIELDS, HIT_FIELDS, analysed, literal
from .retrieve import Hit
from .settings import Settings
from .store import Entry, Record, Store, Weights, check_manifest, expected_manifest, fingerprint
from .versions import IndexUnavailable

BM25 = {"bm25_k1": 1.5, "bm25_b": 0.75}  # bm25s's defaults, as the FAISS store has them
HNSW = {"M": 16, "efConstruction": 200}
EF = 128
TOP_K = 16_384  # the most one Milvus search returns
BATCH = 256  # rows per upsert
FUSIONS = ("ours", "weighted", "rrf")
REBUILD = "请运行 qa index --full --store milvus 重建索引"
MIXED = ("", "", "")  # an article whose rows disagree: half written, or built by other settings
_lexical_searches = ThreadPoolExecutor(8, thread_name_prefix="milvus-bm25")  # beside the dense search


class MilvusStore(Store):
    """One Milvus collection; `fusion` says who fuses a hybrid search: our code, or Milvus's ranker."""

    def __init__(self, settings: Settings, client: MilvusClient) -> None:
        self.settings = settings
        self.client = client
        self.uri = location(settings)
        self.name = settings.milvus_collection
        self.fusion = "ours"
        self._built = json.dumps(expected_manifest(settings), sort_keys=True)
        self._held: dict[str, tuple[str, str, str]] | None = None  # doc_id: (file hash, fingerprint, build)
        self._pending: list[dict] = []
        self._replaced: dict[str, list[int]] = {}  # doc_id: the starts of its new passages

    @classmethod
    def open(cls, settings: Settings) -> MilvusStore:
        """The collection to search, checked: it is ours, holds passages, and was built as `settings` say."""
        store = cls(settings, connect(settings))
        with store._calls():
            if not store.client.has_collection(store.name):
                raise IndexUnavailable(
                    f"Milvus 集合 {store.name} 不存在（{store.uri}）：请先运行 qa index --store milvus"
                )
            store._check_schema()
            store._load()
            if not store.count():
                raise IndexUnavailable(
                    f"Milvus 集合 {store.name} 中没有段落（{store.uri}）：请先运行 qa index --store milvus"
                )
            other = f"build != {literal(store._built)}"
            for row in store.client.query(store.name, filter=other, output_fields=["build"], limit=1):
                check_manifest(json.loads(row["build"]), settings, REBUILD)
        return store

    @classmethod
    def create(cls, settings: Settings) -> MilvusStore:
        """The collection to write, made if it is missing, and made again if its vectors are of another size."""
        store = cls(settings, connect(settings, create=True))
        with store._calls():
            exists = store.client.has_collection(store.name)
            if exists and not store._check_schema(writing=True):
                store.client.drop_collection(store.name)
                exists = False
            if not exists:
                store.client.create_collection(store.name, schema=layout.schema(), index_params=store._indexes())
            store._load()
        return store

    def _load(self) -> None:
        """Load the collection unless it is: a cluster's operator may have loaded it with more replicas."""
        if self.client.get_load_state(self.name)["state"] != LoadState.Loaded:
            self.client.load_collection(self.name)

    @contextmanager
    def _calls(self) -> Iterator[None]:
        try:
            yield
        except MilvusException as error:
            raise IndexUnavailable(f"Milvus（{self.uri}，集合 {self.name}）出错：{error.message}") from None

    def _check_schema(self, writing: bool = False) -> bool:
        """Whether the vectors are of this model's size; IndexUnavailable if the collection is not ours."""
        fields = {f["name"]: f for f in self.client.describe_collection(self.name)["fields"]}
        missing = "、".join(n for n in (*layout.TEXTS, "words", "vector", "sparse") if n not in fields)
        if missing:
            raise IndexUnavailable(f"Milvus 集合 {self.name} 不是 qa index 建立的（缺少 {missing}）：请换一个集合名")
        dimension = int(fields["vector"].get("params", {}).get("dim", 0))
        if dimension != embed.DIMENSION and not writing:
            raise IndexUnavailable(f"Milvus 集合的向量为 {dimension} 维，当前模型为 {embed.DIMENSION} 维：{REBUILD}")
        return dimension == embed.DIMENSION

    def _indexes(self) -> IndexParams:
        params = self.client.prepare_index_params()
        params.add_index("vector", index_type="HNSW", metric_type="IP", params=HNSW)
        params.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25", params=BM25)
        params.add_index("doc_id", index_type="INVERTED")
        return params

    @property
    def manifest(self) -> dict:
        held = self._holding()
        built = json.loads(next((b for _, _, b in held.values() if b and b != self._built), self._built))
        return {**built, "articles": {d: digest for d, (digest, _, _) in held.items()}, "passages": self.count()}

    def _holding(self) -> dict[str, tuple[str, str, str]]:
        if self._held is None:
            self._held = {}
            for row in self.scan(["doc_id", "digest", "cleaned", "build"]):
                held = (row["digest"], row["cleaned"], row["build"])
                if self._held.setdefault(row["doc_id"], held) != held:
                    self._held[row["doc_id"]] = MIXED
        return self._held

    def unchanged(self, doc_id: str, digest: str, article: Article) -> bool:
        return self._holding().get(doc_id) == (digest, fingerprint(article), self._built)

    @property
    def articles(self) -> Mapping[str, Article]:
        return layout.Articles(self)

    @property
    def records(self) -> list[Record]:
        found = layout.grouped(self.scan(["doc_id", "start", "end"]))
        return [Record(r["doc_id"], r["start"], r["end"]) for rows in found.values() for r in rows]

    @property
    def vectors(self) -> np.ndarray:
        found = layout.grouped(self.scan(["doc_id", "start", "vector"]))
        vectors = [r["vector"] for rows in found.values() for r in rows]
        return np.array(vectors, dtype=np.float32).reshape(-1, embed.DIMENSION)

    def count(self) -> int:
        with self._calls():
            return int(self.client.query(self.name, filter="", output_fields=["count(*)"])[0]["count(*)"])

    def put(self, entry: Entry) -> None:
        """Queue the article's rows: they are written, and its old passages deleted, by BATCH rows and on commit."""
        doc_id = entry.article.doc_id
        if doc_id in self._holding():
            self._replaced[doc_id] = [r.start for r in entry.records]
        self._pending += layout.rows(entry, self._built)
        self._holding()[doc_id] = (entry.digest, fingerprint(entry.article), self._built)
        if len(self._pending) >= BATCH:
            self._write()

    def _write(self) -> None:
        with self._calls():
            for i in range(0, len(self._pending), BATCH):
                self.client.upsert(self.name, self._pending[i : i + BATCH])
            self._pending = []
            for doc_id, starts in self._replaced.items():
                self.client.delete(self.name, filter=f"doc_id == {literal(doc_id)} and start not in {starts}")
            self._replaced = {}

    def drop(self, doc_id: str) -> None:
        self._write()
        with self._calls():
            self.client.delete(self.name, filter=f"doc_id == {literal(doc_id)}")
        self._holding().pop(doc_id, None)

    def commit(self) -> None:
        self._write()
        with self._calls():
            self.client.flush(self.name)

    def entry(self, doc_id: str) -> Entry:
        return layout.entry(self.rows_of(doc_id, ["vector"]))

    def rows_of(self, doc_id: str, extra: list[str] | None = None) -> list[dict]:
        """An article's rows, in order."""
        with self._calls():
            found = self.client.query(
                self.name, filter=f"doc_id == {literal(doc_id)}", output_fields=ARTICLE_FIELDS + (extra or [])
            )
        return sorted(found, key=lambda r: r["start"])

    def scan(self, fields: list[str]) -> list[dict]:
        """Every row's `fields`, read in batches."""
        found: list[dict] = []
        with self._calls():
            iterator = self.client.query_iterator(self.name, batch_size=1000, filter="", output_fields=fields)
            try:
                while batch := iterator.next():
                    found.extend(batch)
            finally:
                iterator.close()
        return found

    def passages(self, doc_id: str) -> list[Hit]:
        return [layout.hit(row, 0.0) for row in self.rows_of(doc_id, ["text"])]

    def dense(self, vector: np.ndarray, k: int) -> list[Hit]:
        return [layout.hit(h["entity"], h["distance"]) for h in self._search(vector, "vector", k)]

    def lexical(self, query: str, k: int, weights: Weights) -> list[Hit]:
        # Milvus Lite 3.2 gives BM25 scores negated, a server positive: the size is the score either way
        return [layout.hit(h["entity"], abs(h["distance"])) for h in self._search(query, "sparse", k)]

    def _search(self, data: np.ndarray | str, field: str, k: int) -> list[dict]:
        if isinstance(data, str) and not (data := analysed(data)):
            return []
        if not isinstance(data, str):
            data = np.asarray(data, dtype=np.float32).reshape(-1).tolist()
        request = {"anns_field": field, "limit": min(k, TOP_K), "output_fields": HIT_FIELDS}
        with self._calls():
            return list(self.client.search(self.name, data=[data], search_params=_params(field, k), **request)[0])

    def hybrid(self, query: str, vector: np.ndarray, k: int, weights: Weights) -> list[Hit]:
        """Our fusion of the two rankings (as the FAISS store's), or Milvus's weighted or RRF ranker."""
        lexical_weight = weights.words + weights.bigrams  # Milvus holds one lexical ranking: jieba words
        if not weights.dense:
            return self.lexical(query, k, weights)
        if not lexical_weight or not analysed(query):
            return self.dense(vector, k)
        if self.fusion == "ours":
            return self._fused(query, vector, k, [weights.dense, lexical_weight])
        wanted = self.settings.candidates
        ranker = (
            RRFRanker(60) if self.fusion == "rrf" else WeightedRanker(weights.dense, lexical_weight, norm_score=True)
        )
        requests = [
            AnnSearchRequest([vector.reshape(-1).tolist()], "vector", _params("vector", wanted), wanted),
            AnnSearchRequest([analysed(query)], "sparse", _params("sparse", wanted), wanted),
        ]
        with self._calls():
            found = self.client.hybrid_search(
                self.name, requests, ranker, limit=min(k, TOP_K), output_fields=HIT_FIELDS
            )
        return [layout.hit(h["entity"], h["distance"]) for h in found[0]]

    def _fused(self, query: str, vector: np.ndarray, k: int, weights: list[float]) -> list[Hit]:
        """retrieve.fuse over both top lists, searched at once.

        A lexical candidate outside the dense top list is given that list's lowest cosine, a bound of
        its own: no vectors cross the wire, and on CMRC2018 it ranks as well as fetching them.
        """
        wanted = self.settings.candidates
        lexical = _lexical_searches.submit(self._search, query, "sparse", wanted)
        rows: dict[tuple[str, int], dict] = {}
        dense: dict[tuple[str, int], float] = {}
        words: dict[tuple[str, int], float] = {}
        for found in self._search(vector, "vector", wanted):
            key = (found["entity"]["doc_id"], found["entity"]["start"])
            rows[key], dense[key] = found["entity"], found["distance"]
        for found in lexical.result():
            key = (found["entity"]["doc_id"], found["entity"]["start"])
            rows.setdefault(key, found["entity"])
            words[key] = abs(found["distance"])
        floor = min(dense.values(), default=0.0)
        keys = list(rows)
        columns = [np.array([dense.get(key, floor) for key in keys]), np.array([words.get(key, 0.0) for key in keys])]
        fused = retrieve.fuse(columns, weights) if keys else np.zeros(0)
        return [layout.hit(rows[keys[i]], float(fused[i])) for i in np.argsort(-fused, kind="stable")[:k]]


def _params(field: str, k: int) -> dict:
    return {"metric_type": "IP", "params": {"ef": max(EF, k)}} if field == "vector" else {"metric_type": "BM25"}
