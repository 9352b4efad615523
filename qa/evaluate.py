"""Evaluate the answerer: our question set about the seeds, and CMRC2018 open-domain."""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import bench, index
from .answer import Answer
from .retrieve import QueryError
from .service import ask
from .settings import PROJECT, Settings

DEFAULT_SET = PROJECT / "tests" / "data" / "questions.jsonl"
BOLD = re.compile(r"\*\*(.+?)\*\*")
TYPED = ("number", "date", "person", "place", "org")  # kinds whose answer leads in bold


@dataclass
class Tally:
    answered: int = 0
    answered_right: int = 0
    cited_right: int = 0
    unanswerable: int = 0
    refused_right: int = 0
    refused_wrong: int = 0
    followups: int = 0
    followups_right: int = 0
    typed: int = 0
    typed_right: int = 0  # the bold short answer itself holds a gold string


def question_set(path: Path, searched: index.Index) -> tuple[dict[str, Tally], list[float]]:
    """Tallies per split ("tune", "heldout", "all") and every answer's latency in ms."""
    tallies = {"tune": Tally(), "heldout": Tally(), "all": Tally()}
    latencies: list[float] = []

    def timed(question: str, history: list | None = None) -> Answer:
        began = time.perf_counter()
        result = ask(question, history, index=searched, use_llm=False)
        latencies.append((time.perf_counter() - began) * 1000)
        return result

    for row in index.read_jsonl(Path(path)):
        history = None
        if "history_question" in row:
            first = timed(row["history_question"])
            history = [
                {"role": "user", "content": row["history_question"]},
                {"role": "assistant", "content": first.text},
            ]
        result = timed(row["question"], history)
        right = result.found and any(g in result.text for g in row["answers"])
        for tally in (tallies[row["split"]], tallies["all"]):
            _count(tally, row, result, right, history is not None)
    return tallies, latencies


def _count(tally: Tally, row: dict, result: Answer, right: bool, followup: bool) -> None:
    if followup:
        tally.followups += 1
        tally.followups_right += right
    elif row["answers"]:
        tally.answered += 1
        tally.answered_right += right
        tally.cited_right += bool(result.citations) and result.citations[0].doc_id == row["doc_id"]
        tally.refused_wrong += not result.found
        if row["type"] in TYPED:
            bold = BOLD.search(result.text)
            tally.typed += 1
            tally.typed_right += result.found and bool(bold) and any(g in bold.group(1) for g in row["answers"])
    else:
        tally.unanswerable += 1
        tally.refused_right += not result.found


def question_table(tallies: dict[str, Tally], latencies: list[float]) -> str:
    header = ["split", "answer acc.", "short answer acc.", "citation acc."]
    header += ["refusal precision", "refusal recall", "false refusals", "follow-up acc."]
    rows = [
        [
            name,
            _share(t.answered_right, t.answered),
            _share(t.typed_right, t.typed),
            _share(t.cited_right, t.answered),
            _share(t.refused_right, t.refused_right + t.refused_wrong),
            _share(t.refused_right, t.unanswerable),
            _share(t.refused_wrong, t.answered),
            _share(t.followups_right, t.followups),
        ]
        for name, t in tallies.items()
    ]
    p50, p95 = np.percentile(latencies, [50, 95])
    timing = f"answer latency: p50 {p50:.0f} ms, p95 {p95:.0f} ms over {len(latencies)} answers"
    return bench.markdown(header, rows) + "\n\n" + timing


def cmrc(data: Path, settings: Settings, limit: int | None = None) -> str:
    """Open-domain answers over a CMRC split's passages: gold contained, short-answer EM and char F1."""
    articles, queries = bench.load(data, limit)
    searched, _ = index.assemble(settings, articles, {d: "" for d in articles})
    contained = exact = 0
    f1 = 0.0
    for query in queries:
        try:
            result = ask(query["question"], index=searched, use_llm=False)
        except QueryError:  # CMRC2018 trial holds empty questions: they count as not answered
            continue
        bold = BOLD.search(result.text)
        short = bold.group(1) if bold else result.text
        contained += any(g in result.text for g in query["answers"])
        exact += short in query["answers"]
        f1 += max(_char_f1(short, g) for g in query["answers"])
    n = len(queries)
    header = ["questions", "answer contains gold", "short-answer EM", "short-answer char F1"]
    return bench.markdown(header, [[n, f"{contained / n:.1%}", f"{exact / n:.1%}", f"{f1 / n:.1%}"]])


def _char_f1(prediction: str, gold: str) -> float:
    common = sum((Counter(prediction) & Counter(gold)).values())
    if not common:
        return 0.0
    precision, recall = common / len(prediction), common / len(gold)
    return 2 * precision * recall / (precision + recall)


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.1%} ({part}/{whole})" if whole else "–"
