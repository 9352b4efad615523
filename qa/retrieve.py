"""Retrieve: score passages by BM25 (words, bigrams) and by embedding, and fuse the rankings.

Fusion adds each method's scores divided by that method's best score, with weights tuned on
CMRC2018's trial split (`qa bench --tune`). Candidates are the union of each method's top list.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np

METHODS = ("hybrid", "dense", "bm25")
MAX_QUERY_CHARS = 500
HAS_WORD = re.compile(r"[^\W_]", re.UNICODE)


class QueryError(ValueError):
    """A question that cannot be searched; the message says why, in Chinese."""


@dataclass(frozen=True)
class Hit:
    """One retrieved passage; `text == article_text[start:end]`."""

    doc_id: str
    title: str
    text: str
    score: float
    start: int
    end: int


def prepare_query(question: str) -> str:
    """The question without control characters, cut to MAX_QUERY_CHARS; QueryError if nothing is left."""
    if not isinstance(question, str):
        raise QueryError("问题必须是文本")
    text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in question)
    text = " ".join(text.split())
    if not text:
        raise QueryError("问题为空：请输入一个问题")
    if not HAS_WORD.search(text):
        raise QueryError("问题只有标点或表情符号：请用文字提问")
    return text[:MAX_QUERY_CHARS]


def fuse(columns: list[np.ndarray], weights: list[float]) -> np.ndarray:
    """Weighted sum of score columns, each divided by its maximum (a zero column adds nothing)."""
    total = np.zeros_like(columns[0], dtype=np.float64)
    for scores, weight in zip(columns, weights):
        top = float(scores.max()) if scores.size else 0.0
        if weight and top > 0:
            total += weight * scores / top
    return total


def top_ids(scores: np.ndarray, k: int) -> np.ndarray:
    """Indexes of the k largest scores, best first."""
    k = min(k, scores.size)
    if k <= 0:
        return np.empty(0, dtype=np.int64)
    part = np.argpartition(-scores, k - 1)[:k]
    return part[np.argsort(-scores[part], kind="stable")]
