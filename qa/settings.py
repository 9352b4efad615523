"""Settings in one place: defaults, then `QA_*` environment variables, then CLI flags."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """Everything a run can tune; field `x` is read from env var `QA_X`."""

    articles: Path = PROJECT / "seeds"
    index: Path = PROJECT / ".index"
    cache: Path = Path.home() / ".cache" / "qa"
    backend: str = "openvino"  # or "torch": the runtime that executes the embedding model
    reader: Path = PROJECT / "qa" / "models" / "reader"  # the span reader's weights and card (qa train-reader)
    min_chars: int = 150
    max_chars: int = 400
    ann_threshold: int = 10_000  # passages; above it FAISS uses HNSW instead of an exact scan (qa bench --faiss)
    weight_words: float = 0.1  # fusion weights: best MRR@10 on CMRC2018 trial (qa bench --tune)
    weight_bigrams: float = 0.05
    weight_dense: float = 1.0
    candidates: int = 50
    store: str = ""  # "faiss" or "milvus" (qa/store.py); unset: milvus if milvus_uri is set, else faiss
    milvus_uri: str = ""  # a Milvus Lite file (…/x.db) or http://host:19530; default: milvus.db in the index folder
    milvus_token: str = field(default="", repr=False)  # user:password or an API key, for a secured server
    milvus_collection: str = "qa_passages"
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = ""
    llm_timeout: float = 30.0

    def with_flags(self, **flags: object) -> Settings:
        """A copy with every flag that was given (not None) applied."""
        return replace(self, **{k: v for k, v in flags.items() if v is not None})


def load() -> Settings:
    """Defaults overridden by `QA_*` environment variables."""
    defaults = Settings()
    values = {}
    for setting in fields(Settings):
        raw = os.environ.get(f"QA_{setting.name.upper()}")
        if raw is not None and raw != "":
            kind = type(getattr(defaults, setting.name))
            values[setting.name] = Path(raw) if kind is type(PROJECT) else kind(raw)
    return replace(defaults, **values)
