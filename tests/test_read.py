"""The shipped span reader on a small passage it never saw, and `qa train-reader` on a tiny data set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from qa import answer, read, squad
from qa.cli import main
from qa.retrieve import Hit
from qa.train import CHECKPOINT

PASSAGE = (
    "华光电子公司成立于1998年3月12日，创始人是工程师李明远。公司总部位于杭州市滨江区，"
    "目前有员工2400人。2020年，公司的营业收入达到15亿元，其中海外市场占三成。"
)


@pytest.fixture(scope="module")
def reader() -> read.Reader:
    return read.reader()


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("华光电子公司有多少名员工？", "2400人"),
        ("华光电子公司是哪一天成立的？", "1998年3月12日"),
        ("华光电子公司的创始人是谁？", "李明远"),
        ("华光电子公司的总部在哪个城市？", "杭州"),
    ],
)
def test_the_reader_finds_a_number_a_date_a_person_and_a_place(reader, question: str, expected: str) -> None:
    (span,) = reader.read(question, [PASSAGE])
    found = PASSAGE[span.start : span.end]
    assert expected in found and len(found) <= len(expected) + 4
    assert span.confidence >= answer.MIN_CONFIDENCE


def test_the_reader_refuses_what_the_passage_does_not_say(reader) -> None:
    hit = Hit("doc", "华光电子", PASSAGE, 1.0, 0, len(PASSAGE))
    result = answer.extract("华光电子公司的董事长毕业于哪所大学？", [hit], reader)
    assert not result.found and result.confidence < answer.MIN_CONFIDENCE and result.span == ""


def test_an_answer_bolds_the_span_and_cites_its_sentence(reader) -> None:
    hit = Hit("doc", "华光电子", PASSAGE, 1.0, 0, len(PASSAGE))
    result = answer.extract("华光电子公司2020年的营业收入是多少？", [hit], reader)
    assert result.found and result.span == "15亿元" and 0.5 <= result.confidence <= 1
    assert result.text == "**15亿元**。2020年，公司的营业收入达到15亿元，其中海外市场占三成。[1]"
    assert result.citations == [hit]


def test_the_best_span_is_taken_across_passages_and_windows(reader) -> None:
    filler = "这一年里，城市的道路、桥梁和公园都进行了翻新，市民的出行更加方便。" * 12  # longer than one window
    spans = reader.read("华光电子公司的创始人是谁？", [filler, filler + PASSAGE])
    best = answer.best_span(spans)
    assert best.passage == 1 and (filler + PASSAGE)[best.start : best.end] == "李明远"


def test_windows_cover_a_long_passage_and_mark_the_answer() -> None:
    text = "甲" * 600 + "答案在这里" + "乙" * 100
    windows = read.windows(read.tokenizer(), "答案在哪里？", text, 600, "答案在这里")
    assert len(windows) >= 3 and windows[-1].offsets[-1][1] == len(text)
    marked = [w for w in windows if w.start]
    assert marked and all(
        text[w.offsets[w.start - w.passage_from][0] : w.offsets[w.end - w.passage_from][1]] == "答案在这里"
        for w in marked
    )


def test_cmrc_scoring_ignores_punctuation_and_counts_the_longest_common_run() -> None:
    assert squad.exact_match("《红楼梦》。", ["红楼梦"]) == 1.0
    assert squad.f1("1998年3月", ["1998年3月12日"]) == pytest.approx(2 * 1 * 4 / 6 / (1 + 4 / 6))
    assert squad.f1("无关", ["李明远"]) == 0.0


def _tiny_data(folder: Path) -> Path:
    questions = [
        ("华光电子公司有多少名员工？", "2400人"),
        ("华光电子公司的创始人是谁？", "李明远"),
        ("华光电子公司的总部在哪里？", "杭州市滨江区"),
        ("2020年华光电子公司的营业收入是多少？", "15亿元"),
    ]
    qas = [
        {"id": f"q{i}", "question": q, "answers": [{"text": a, "answer_start": PASSAGE.index(a)}]}
        for i, (q, a) in enumerate(questions)
    ]
    data = {"data": [{"paragraphs": [{"id": "p", "context": PASSAGE, "qas": qas}]}]}
    folder.mkdir()
    for name in ("cmrc2018_train.json", "drcd_dev_zhs.json", "cmrc2018_trial.json"):
        (folder / name).write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return folder


def test_train_reader_writes_a_checkpoint_and_resumes_from_it(tmp_path: Path, capsys) -> None:
    data, out = _tiny_data(tmp_path / "data"), tmp_path / "out"
    assert main(["train-reader", "--data", str(data), "--out", str(out), "--epochs", "1", "--limit", "4"]) == 0
    assert torch.load(out / CHECKPOINT, weights_only=False)["step"] == 1
    assert (
        main(["train-reader", "--data", str(data), "--out", str(out), "--epochs", "2", "--limit", "4", "--resume"]) == 0
    )
    assert torch.load(out / CHECKPOINT, weights_only=False)["step"] == 2
    card = read.card(out)
    assert card["steps"] == 2 and card["trial"]["questions"] == 4 and card["recipe"]["epochs"] == 2
    state = read.load_torch(out).state_dict()
    assert read.FROZEN in state  # taken from the installed m3e-small, not from the file
    assert "CMRC2018 trial" in capsys.readouterr().out


def test_train_reader_can_start_from_a_trained_reader(tmp_path: Path) -> None:
    data, out = _tiny_data(tmp_path / "data"), tmp_path / "out"
    init = ["--init", str(read.SHIPPED), "--lr", "1e-6", "--negative-share", "0.5"]
    assert main(["train-reader", "--data", str(data), "--out", str(out), "--epochs", "1", "--limit", "4", *init]) == 0
    card = read.card(out)
    assert card["recipe"]["init"] == str(read.SHIPPED) and card["recipe"]["negative_share"] == 0.5
    assert card["trial"]["f1"] > 50  # what the shipped reader knows; one step from m3e-small knows nothing


def test_a_passage_with_the_answer_cut_out_no_longer_answers() -> None:
    def example(answer: str, *also: str) -> squad.Example:
        return squad.Example("q", "?", PASSAGE, answer, PASSAGE.index(answer), (answer, *also))

    text, at = squad.erased(example("2400人"))
    assert "2400" not in text and "杭州" not in text and text[at:].startswith("2020年")
    text, at = squad.erased(example("李明远"))
    assert at == 0 and text.startswith("公司总部") and "1998年" not in text
    assert squad.erased(example("2400人", "李明远")) is None  # another accepted answer is said elsewhere


def test_the_shipped_reader_is_small_and_has_a_card() -> None:
    assert (read.SHIPPED / read.WEIGHTS).stat().st_size < 50 * 2**20
    card = read.card()
    assert card["base"] == "m3e-small" and card["trial"]["f1"] > 0 and card["steps"] > 0
