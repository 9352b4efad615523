"""SQuAD-format reading data (CMRC2018, DRCD) and CMRC2018's official EM / F1."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# CMRC2018's evaluation removes these before comparing (its official script's punctuation list).
PUNCTUATION = set("-:_*^/\\~`+=，。：？！“”；’《》……·、「」（）－～『』,.;?!'\"()[]{}<>") | {"\u3000", " ", "\t", "\n"}


@dataclass(frozen=True)
class Example:
    id: str
    question: str
    context: str
    answer: str  # the first answer, the one training aims at
    answer_start: int
    answers: tuple[str, ...]  # every accepted answer, for scoring


def load_examples(path: Path) -> list[Example]:
    """Every question of a SQuAD-format file, its first answer re-aligned when its offset is off."""
    data = json.loads(Path(path).read_text("utf-8"))["data"]
    examples = []
    for article in data:
        for paragraph in article["paragraphs"]:
            context = paragraph["context"]
            for qa in paragraph["qas"]:
                answers = tuple(a["text"] for a in qa["answers"] if a["text"].strip())
                if not answers:
                    continue
                first = qa["answers"][0]
                start = _aligned(context, first["text"], int(first["answer_start"]))
                if start < 0:
                    continue
                examples.append(Example(qa["id"], qa["question"], context, first["text"], start, answers))
    return examples


def erased(example: Example) -> tuple[str, int] | None:
    """The passage with the sentences that hold the answer cut out, and where the cut is; None when the
    answer is said elsewhere too. The question still fits the topic but the passage no longer answers
    it: the question about a named person or place that an article does not answer, which a reader
    must learn to refuse."""
    from qa.chunk import split_sentences

    end = example.answer_start + len(example.answer)
    held = [(s, e) for s, e in split_sentences(example.context) if s < end and e > example.answer_start]
    if not held:
        return None
    cut, resume = held[0][0], held[-1][1]
    text = example.context[:cut] + example.context[resume:]
    return None if not text.strip() or any(_said(text, a) for a in example.answers) else (text, cut)


def _said(text: str, answer: str) -> bool:
    """Whether more than half of `answer` (at least two characters of it, in one run) is still in `text`."""
    from difflib import SequenceMatcher

    run = SequenceMatcher(None, text, answer, autojunk=False).find_longest_match(0, len(text), 0, len(answer)).size
    return run >= 2 and run * 2 > len(answer)


def _aligned(context: str, answer: str, start: int) -> int:
    """`start` if the answer is there, else the occurrence of the answer nearest to it, else -1."""
    if context[start : start + len(answer)] == answer:
        return start
    found = [m.start() for m in re.finditer(re.escape(answer), context)]
    return min(found, key=lambda s: abs(s - start)) if found else -1


def negative_contexts(examples: list[Example]) -> dict[str, str]:
    """For each question, the highest BM25-ranked other passage that does not contain its answer."""
    from qa.lexical import BM25, bigrams

    contexts = sorted({ex.context for ex in examples})
    bm25 = BM25(bigrams).fit(contexts)
    negatives = {}
    for ex in examples:
        for i in np.argsort(-bm25.scores(ex.question))[:5]:
            if contexts[i] != ex.context and not any(a in contexts[i] for a in ex.answers):
                negatives[ex.id] = contexts[i]
                break
    return negatives


def normalised(text: str) -> str:
    """The form CMRC2018 compares answers in for EM: lower case, punctuation and spaces removed."""
    return "".join(ch for ch in text.lower() if ch not in PUNCTUATION)


def segmented(text: str) -> list[str]:
    """CMRC2018's units for F1: each Chinese character alone, a run of Latin letters or digits as one."""
    return [t for t in re.findall(r"[a-z0-9]+|.", text.lower()) if t not in PUNCTUATION]


def exact_match(prediction: str, answers: tuple[str, ...] | list[str]) -> float:
    return float(any(normalised(prediction) == normalised(a) for a in answers))


def f1(prediction: str, answers: tuple[str, ...] | list[str]) -> float:
    """Best F1 against any accepted answer, over the longest common run of units (CMRC2018's F1)."""
    return max((_f1(segmented(prediction), segmented(a)) for a in answers), default=0.0)


def _f1(prediction: list[str], answer: list[str]) -> float:
    common = _longest_common_run(prediction, answer)
    if not common:
        return 0.0
    precision, recall = common / len(prediction), common / len(answer)
    return 2 * precision * recall / (precision + recall)


def _longest_common_run(a: list[str], b: list[str]) -> int:
    best, previous = 0, [0] * (len(b) + 1)
    for x in a:
        current = [0] * (len(b) + 1)
        for j, y in enumerate(b, 1):
            if x == y:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


def score_gold(reader, examples: list[Example]) -> dict[str, float]:
    """EM and F1 (in %) of a reader's best span in each question's own passage."""
    em = total_f1 = 0.0
    for ex in examples:
        spans = reader.read(ex.question, [ex.context])
        predicted = ex.context[spans[0].start : spans[0].end] if spans else ""
        em += exact_match(predicted, ex.answers)
        total_f1 += f1(predicted, ex.answers)
    n = max(1, len(examples))
    return {"em": round(100 * em / n, 1), "f1": round(100 * total_f1 / n, 1), "questions": len(examples)}
