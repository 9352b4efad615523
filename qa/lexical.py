"""Lexical: BM25 (bm25s) over jieba words and over character bigrams."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import bm25s
import jieba
import numpy as np
import opencc

jieba.setLogLevel(logging.WARNING)

Tokenizer = Callable[[str], list[str]]
WORD = re.compile(r"[\w]", re.UNICODE)
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def normalise(text: str) -> str:
    """The form words are matched in: half-width, lower case, simplified characters.

    "ＡＢＣ１" matches "abc1" and 北京兒童醫院 matches 北京儿童医院; applied to questions and articles alike.
    """
    return _simplified(unicodedata.normalize("NFKC", text).lower())


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _simplified(text: str) -> str:
    return _converter().convert(text)


def words(text: str) -> list[str]:
    """jieba search-mode words, punctuation and spaces dropped."""
    return [w for w in jieba.lcut_for_search(normalise(text)) if WORD.search(w)]


def bigrams(text: str) -> list[str]:
    """Overlapping pairs of Chinese characters, plus every non-Chinese word whole."""
    tokens: list[str] = []
    for run in re.findall(r"[\u3400-\u9fff\uf900-\ufaff]+|[^\W_\u3400-\u9fff\uf900-\ufaff]+", normalise(text)):
        if CJK.match(run):
            tokens.extend(run[i : i + 2] for i in range(max(1, len(run) - 1)))
        else:
            tokens.append(run)
    return tokens


class BM25:
    """Okapi BM25 over one tokenizer; scores every passage for a query."""

    def __init__(self, tokenizer: Tokenizer, model: bm25s.BM25 | None = None) -> None:
        self.tokenizer = tokenizer
        self.model = model

    def fit(self, texts: list[str]) -> BM25:
        self.model = bm25s.BM25()
        self.model.index([self.tokenizer(t) or [""] for t in texts], show_progress=False)
        return self

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every passage; all zeros when no query word is in the vocabulary."""
        vocab = self.model.vocab_dict
        known = [t for t in self.tokenizer(query) if t in vocab]
        if not known:
            return np.zeros(self.model.scores["num_docs"], dtype=np.float32)
        return self.model.get_scores(known)

    def save(self, folder: Path) -> None:
        self.model.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path, tokenizer: Tokenizer) -> BM25:
        return cls(tokenizer, bm25s.BM25.load(str(folder), show_progress=False))
