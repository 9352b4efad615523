"""Evaluate the answerer: our question set about the seeds, and CMRC2018 open-domain."""

from __future__ import annotations

import re
import resource
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import answer, bench, index, read, squad
from .answer import Answer
from .question import answer_kind
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


def question_set(path: Path, searched: index.Index, only: str = "") -> tuple[dict[str, Tally], list[float]]:
    """Tallies per split ("tune", "heldout", "all") and every answer's latency in ms; `only`: one split."""
    tallies = {"tune": Tally(), "heldout": Tally(), "all": Tally()}
    latencies: list[float] = []

    def timed(question: str, history: list | None = None) -> Answer:
        began = time.perf_counter()
        result = ask(question, history, index=searched, use_llm=False)
        latencies.append((time.perf_counter() - began) * 1000)
        return result

    for row in _progress(index.read_jsonl(Path(path)), "问题集"):
        if only and row["split"] != only:
            continue
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


def cmrc(data: Path, settings: Settings, limit: int | None = None, absent: Path | None = None) -> str:
    """The reader on a CMRC split: alone on each question's own passage, then open domain over all the
    split's passages, and (with `absent`) asked of another split's passages, where it should refuse."""
    articles, queries = _split(data, limit)
    gold = _gold_passages(data, queries, settings)
    rss_before = _rss_mb()
    replies, latencies = _replies(_indexed(articles, settings), queries)
    rows = [["gold passage (reader alone)", gold["em"], gold["f1"], "–", "–", "–", "–"]]
    p50, p95 = np.percentile(latencies, [50, 95])
    rows.append(["open domain", *_open_row(replies, answer.MIN_CONFIDENCE), f"{p50:.0f}", f"{p95:.0f}"])
    if absent:
        others, _ = bench.load(absent)
        elsewhere, _ = _replies(_indexed(others, settings), queries)
        refused = sum(r.confidence < answer.MIN_CONFIDENCE for r in elsewhere) / len(elsewhere)
        rows.append([f"asked of {Path(absent).name}'s passages (not in the index)", "–", "–", "–", f"{refused:.1%}"])
        rows[-1] += ["–", "–"]
    header = ["questions: " + str(len(queries)), "EM", "F1", "contains gold", "refused", "p50 ms", "p95 ms"]
    memory = f"peak RSS {_peak_mb():.0f} MB; index, embedder and reader loaded: {rss_before:.0f} MB before reading"
    return f"{reader_line(settings.reader)}\n\n{bench.markdown(header, rows)}\n\n{memory}"


@dataclass(frozen=True)
class Reply:
    confidence: float
    em: float
    f1: float
    contains: bool


def _split(data: Path, limit: int | None = None) -> tuple[dict, list[dict]]:
    """A CMRC split's articles and its questions, less the empty ones CMRC2018 trial holds."""
    articles, queries = bench.load(data, limit)
    return articles, [q for q in queries if q["question"].strip()]


def _indexed(articles: dict, settings: Settings) -> index.Index:
    return index.assemble(settings, articles, {d: "" for d in articles})[0]


def _replies(searched: index.Index, queries: list[dict]) -> tuple[list[Reply], list[float]]:
    """Each question answered over `searched` with no refusal, so any confidence threshold can be applied."""
    replies, latencies = [], []
    with _refusing_nothing():
        for query in _progress(queries, "CMRC2018"):
            began = time.perf_counter()
            result = ask(query["question"], index=searched, use_llm=False)
            latencies.append((time.perf_counter() - began) * 1000)
            short = result.span or "".join(result.quotes)
            gold = query["answers"]
            contains = any(g in result.text for g in gold)
            replies.append(Reply(result.confidence, squad.exact_match(short, gold), squad.f1(short, gold), contains))
    return replies, latencies


def _open_row(replies: list[Reply], threshold: float) -> list[str]:
    n = len(replies)
    kept = [r for r in replies if r.confidence >= threshold]
    em, f1 = (100 * sum(getattr(r, m) for r in kept) / n for m in ("em", "f1"))
    contains = sum(r.contains for r in kept) / n
    return [f"{em:.1f}", f"{f1:.1f}", f"{contains:.1%}", f"{1 - len(kept) / n:.1%}"]


@contextmanager
def _answering(**changes: object) -> Iterator[None]:
    """The answerer with some of its settings or functions changed, for the length of the block."""
    kept = {name: getattr(answer, name) for name in changes}
    vars(answer).update(changes)
    try:
        yield
    finally:
        vars(answer).update(kept)


def _refusing_nothing():
    return _answering(MIN_CONFIDENCE=0.0)


def _gold_passages(data: Path, queries: list[dict], settings: Settings) -> dict[str, float]:
    """EM / F1 of the reader alone, given each question's own passage."""
    passages = {row["id"]: row["text"] for row in index.read_jsonl(Path(data) / "corpus.jsonl")}
    examples = [
        squad.Example(q["id"], q["question"], passages[q["gold_id"]], "", 0, tuple(q["answers"])) for q in queries
    ]
    return squad.score_gold(read.reader(settings.backend, settings.cache, settings.reader), examples)


def reader_line(folder: Path = read.SHIPPED) -> str:
    """What the reader in `folder` is, from its model card."""
    card = read.card(folder)
    if not card:
        return "reader: no model card"
    recipe = card.get("recipe", {})
    scored = [name for name in ("trial", "dev") if card.get(name)]
    scores = "; ".join(f"{name} EM {card[name]['em']} / F1 {card[name]['f1']}" for name in scored)
    return (
        f"reader: {card.get('base')} span reader trained {card.get('date')} on {', '.join(card.get('data', []))}, "
        f"{card.get('steps')} steps of {recipe.get('batch')} windows, lr {recipe.get('lr')}{_continued(card)}; "
        f"gold-passage CMRC2018 {scores}"
    )


def _continued(card: dict) -> str:
    """Where the run went on from an earlier reader, that reader's steps and date."""
    init = card.get("init")
    return f" (going on from {init.get('steps')} steps of {init.get('date')})" if init else ""


def _progress(items: list, label: str):
    """A progress bar on a terminal; quiet when piped or in tests."""
    from tqdm import tqdm

    return tqdm(items, desc=label, unit="问", leave=False, disable=not sys.stderr.isatty())


def _rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.1%} ({part}/{whole})" if whole else "–"


# Confidences to try: coarse, then finer where a sigmoid of the reader's margin saturates (0.99 is a
# margin of 4.6, 0.998 of 6.2).
THRESHOLDS = (*np.round(np.arange(0.05, 0.95, 0.05), 2), 0.95, 0.97, 0.98, 0.99, 0.995, 0.998)


def tune(trial: Path, question_file: Path, settings: Settings, seeds: index.Index) -> str:
    """The confidence threshold that serves best on average: CMRC trial's open-domain F1, its questions
    refused when asked of the seed articles, and the seed set's tune split (answers and refusals)."""
    articles, queries = _split(trial)
    replies, _ = _replies(_indexed(articles, settings), queries)
    with _refusing_nothing():
        elsewhere = [ask(q["question"], index=seeds, use_llm=False).confidence for q in _progress(queries, "种子文章")]
        rows = [r for r in index.read_jsonl(Path(question_file)) if r["split"] == "tune"]
        seeded = [
            (ask(r["question"], index=seeds, use_llm=False), r["answers"]) for r in rows if "history_question" not in r
        ]
    table = []
    for threshold in THRESHOLDS:
        f1 = float(_open_row(replies, threshold)[1]) / 100
        refused = np.mean([c < threshold for c in elsewhere])
        kept = [(a, gold) for a, gold in seeded if a.found and a.confidence >= threshold]
        right = sum(any(g in a.text for g in gold) for a, gold in kept if gold)
        right /= max(1, sum(bool(g) for _, g in seeded))
        recall = sum(not gold for a, gold in seeded if a.confidence < threshold or not a.found)
        recall /= max(1, sum(not g for _, g in seeded))
        table.append([f"{threshold:g}", f"{f1:.3f}", f"{refused:.3f}", f"{right:.3f}", f"{recall:.3f}"])
        table[-1].append(f"{np.mean([float(x) for x in table[-1][1:]]):.3f}")
    header = ["threshold", "trial open F1", "trial refused on seeds", "seed tune answers", "seed tune refusals", "mean"]
    return bench.markdown(header, table)


ABLATIONS = {
    "every rule": {},
    "without the item of a list (第二点)": {"answer_kind": lambda q: answer_kind(q).replace("item", "other")},
    "without sentences for 为什么/如何": {"SENTENCE_KINDS": ()},
    "without LEAD_MAX (every span in bold)": {"LEAD_MAX": 10**6},
    "reading the date and source line too": {"prose": lambda text: text},
    "without checking that a cited sentence names 他/她": {"names_referent": lambda result, referent: True},
}


def ablate(trial: Path, question_file: Path, settings: Settings, seeds: index.Index) -> str:
    """The answerer with and without each of its rules, in one run: the seed set's held-out split and
    CMRC2018 trial open domain (the reader's spans are read once and reused by every variant)."""
    articles, queries = _split(trial)
    searched = _indexed(articles, settings)
    shared = read.reader(settings.backend, settings.cache, settings.reader)
    memo: dict = {}
    original = shared.read
    shared.read = lambda q, passages: memo.get((q, *passages)) or memo.setdefault((q, *passages), original(q, passages))
    rows = []
    try:
        for name, changes in ABLATIONS.items():
            with _answering(**changes):
                tallies, _ = question_set(question_file, seeds, only="heldout")
                replies, _ = _replies(searched, queries)
            held = tallies["heldout"]
            rows.append([name, _share(held.answered_right, held.answered), _share(held.typed_right, held.typed)])
            rows[-1] += [_share(held.refused_right, held.unanswerable), _share(held.followups_right, held.followups)]
            rows[-1] += _open_row(replies, answer.MIN_CONFIDENCE)[:2]
    finally:
        shared.read = original
    header = ["answerer", "held-out answers", "short answers", "refusals", "follow-ups", "trial EM", "trial F1"]
    return bench.markdown(header, rows)
