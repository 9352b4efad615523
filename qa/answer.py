"""Answer: the reader's best span across the retrieved passages, in bold, then the sentence that holds it
with its [n] citation so a person can check it; or an honest "not found" when no passage holds one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .chunk import split_sentences
from .question import CHINESE_NUMERALS, answer_kind, ordinal
from .read import Reader, Span
from .retrieve import Hit

REFUSAL = "资料中没有找到"
NOT_FOUND = REFUSAL + "{}的信息。"
# Answer only when the reader's confidence in its best span (against "no answer") reaches this: chosen
# by `qa eval --tune` on CMRC2018 trial (open domain, and asked of articles not in the index) and the
# seed set's tune split; see BENCHMARKS.md.
MIN_CONFIDENCE = 0.9
LEAD_MAX = 20  # characters: a longer span reads better inside its sentence than in bold
SENTENCE_KINDS = ("reason",)  # 为什么, 如何 are answered by sentences, not a clipped fragment
SHOW_CHARS = 150
# The line clean writes under a title, "2026-01-15 来源：百家号": metadata, not prose, so the reader skips it
# (a publication date or outlet would otherwise answer questions about the events reported).
META = re.compile(r"^(?:\d{4}-\d{2}-\d{2})?[ ]?(?:来源：\S+)?$", re.MULTILINE)


@dataclass
class Answer:
    """An answer: `text` cites `citations[n-1]` as [n]; `related` are the closest passages when not found."""

    text: str
    found: bool
    citations: list[Hit]
    query: str
    related: list[Hit] = field(default_factory=list)
    note: str = ""
    quotes: list[str] = field(default_factory=list)  # the sentence each citation supports, "" if unknown
    span: str = ""  # the short answer; "" when the answer is sentences only
    confidence: float = 0.0  # the reader's belief that its best span answers, against "no answer" (0–1)


@dataclass(frozen=True)
class Quote:
    hit: int  # which of the hits
    start: int  # offsets into the hit's text
    end: int


def extract(question: str, hits: list[Hit], reader: Reader) -> Answer:
    """The extractive answer to `question` from `hits` (best first)."""
    if not hits:
        return refusal(question, hits)
    kind = answer_kind(question)
    if kind == "item":
        return _listed(question, hits)
    best = best_span(reader.read(question, [prose(hit.text) for hit in hits]))
    if best is None or best.confidence < MIN_CONFIDENCE:
        answer = refusal(question, hits)
        answer.confidence = best.confidence if best else 0.0
        return answer
    text = hits[best.passage].text
    span = text[best.start : best.end].strip()
    quotes = [Quote(best.passage, s, e) for s, e in split_sentences(text) if s < best.end and e > best.start]
    short = span if kind not in SENTENCE_KINDS and len(span) <= LEAD_MAX else ""
    answer = _compose(question, hits, quotes or [Quote(best.passage, best.start, best.end)], short, keep=span)
    answer.span, answer.confidence = short, best.confidence
    return answer


def names_referent(result: Answer, referent: str) -> bool:
    """Whether a cited passage names `referent`, the person a 他/她 stood for: a passage about someone else
    does not answer a question about them. The passage, not the sentence: after naming a person once,
    an article goes on with 他/她."""
    return any(referent in hit.text for hit in result.citations)


def prose(text: str) -> str:
    """`text` with the date and source line blanked out, offsets unchanged."""
    return META.sub(lambda line: " " * len(line.group()), text)


def best_span(spans: list[Span]) -> Span | None:
    """The span that beats "no answer" by most: the margin is comparable across windows, raw scores are not."""
    return max(spans, key=lambda span: span.margin, default=None)


def _listed(question: str, hits: list[Hit]) -> Answer:
    """The answer to 第二点是什么: item n of a list in the best passages or the passage that follows one."""
    n = ordinal(question)
    for rank, hit in enumerate(hits):
        following = [j for j, o in enumerate(hits) if o.doc_id == hit.doc_id and hit.start < o.start <= hit.end]
        for j in [rank, *following]:
            for start, end in split_sentences(hits[j].text):
                if item := _numbered(hits[j].text[start:end], n):
                    at = hits[j].text.index(item, start)
                    return _compose(question, hits, [Quote(j, at, at + len(item))])
    return refusal(question, hits)


def _numbered(text: str, n: int) -> str:
    """The part of `text` that is item `n` of a list: "2、完善……" whole, or "二是……" up to the next item."""
    digit, numeral = str(n), CHINESE_NUMERALS[n - 1] if n <= len(CHINESE_NUMERALS) else str(n)
    head = re.match(rf"\s*(?:(?:{digit}|{numeral})[、）)]|{digit}[.．](?!\d)|[（(](?:{digit}|{numeral})[）)])", text)
    if head:
        return text
    marker = rf"{numeral}是|第{numeral}[，,、是]|其{numeral}[，,、]"
    inner = re.search(rf"(?:^|[，,；;。：:])\s*((?:{marker})[^；;。]*[；;。]?)", text)
    return inner.group(1) if inner else ""


def refusal(question: str, hits: list[Hit]) -> Answer:
    """An honest "not found", listing the closest passages as possibly related."""
    topic = re.sub(r"[？?！!。，,\s]+$", "", question)
    topic = re.sub(r"(?:是|有|为|在)?(?:多少|几\w?|什么|哪\w*|谁|何\w)\w{0,3}$", "", topic).rstrip("的是有")
    return Answer(NOT_FOUND.format(f"关于“{topic or question}”"), False, [], question, related=hits[:3])


def _compose(question: str, hits: list[Hit], quotes: list[Quote], lead: str = "", keep: str = "") -> Answer:
    """The lead in bold, then each quoted sentence (around `keep` when long) with the number it cites."""
    citations: list[Hit] = []
    texts: list[str] = []
    parts = [f"**{lead}**。"] if lead else []
    for quote in quotes:
        hit = hits[quote.hit]
        sentence = hit.text[quote.start : quote.end]
        if hit not in citations:
            citations.append(hit)
            texts.append(sentence)
        parts.append(f"{_shorten(sentence, keep or lead)}[{citations.index(hit) + 1}]")
    return Answer("".join(parts), True, citations, question, quotes=texts)


def _shorten(text: str, keep: str) -> str:
    """The sentence, or a window of it around `keep` marked with …… when it is long."""
    text = text.replace("\n", " ").strip()
    if len(text) <= SHOW_CHARS:
        return text
    at = max(0, text.find(keep)) if keep else 0
    start = max(0, at - SHOW_CHARS // 2)
    end = min(len(text), start + SHOW_CHARS)
    return ("……" if start else "") + text[start:end] + ("……" if end < len(text) else "")
