"""Chunk: split cleaned text into sentences, then pack sentences into overlapping passages."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# A sentence ends at 。！？；… (runs of them), plus any closing quotes or brackets, or at a line break.
SENTENCE_END = re.compile(r"(?:[。！？!?；;]+|…+|\.{3,})[”’」』）)\"']*|\n+")
SOFT_BREAK = re.compile(r"[，,、：:]")

Span = tuple[int, int]
Splitter = Callable[[str], list[Span]]


@dataclass(frozen=True)
class Passage:
    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Span]:
    """(start, end) of each sentence, whitespace trimmed, so text[start:end] is the sentence."""
    spans: list[Span] = []
    position = 0
    for match in SENTENCE_END.finditer(text):
        _add_trimmed(text, position, match.end(), spans)
        position = match.end()
    _add_trimmed(text, position, len(text), spans)
    return spans


def _add_trimmed(text: str, start: int, end: int, spans: list[Span]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def chunk(
    text: str,
    min_chars: int = 150,
    max_chars: int = 400,
    splitter: Splitter = split_sentences,
    offset: int = 0,
) -> list[Passage]:
    """Pack sentences into passages of about min..max chars, overlapping by one sentence.

    A sentence longer than `max_chars` is cut at commas (or hard) into pieces of at most max_chars.
    Offsets are into `text`, shifted by `offset`.
    """
    sentences = [piece for span in splitter(text) for piece in _fit(text, span, max_chars)]
    passages: list[Passage] = []
    first = 0
    while first < len(sentences):
        last = first
        while last + 1 < len(sentences) and sentences[last + 1][1] - sentences[first][0] <= max_chars:
            last += 1
        start, end = sentences[first][0], sentences[last][1]
        passages.append(Passage(start + offset, end + offset, text[start:end]))
        if last + 1 >= len(sentences):
            break
        first = last if _overlap_fits(sentences, first, last, min_chars, max_chars) else last + 1
    return passages


def _overlap_fits(sentences: list[Span], first: int, last: int, min_chars: int, max_chars: int) -> bool:
    """Repeat the last sentence in the next passage only if it is short and leaves room to grow."""
    start = sentences[last][0]
    return last > first and sentences[last][1] - start < min_chars and sentences[last + 1][1] - start <= max_chars


def _fit(text: str, span: Span, max_chars: int) -> list[Span]:
    """Split one over-long sentence at soft breaks, else hard, into spans of <= max_chars."""
    start, end = span
    pieces: list[Span] = []
    while end - start > max_chars:
        window = text[start : start + max_chars]
        breaks = [m.end() for m in SOFT_BREAK.finditer(window) if m.end() >= max_chars // 2]
        cut = start + (breaks[-1] if breaks else max_chars)
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces
