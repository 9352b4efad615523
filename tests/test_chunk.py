import pytest
from conftest import SEEDS

from qa.chunk import chunk, split_sentences
from qa.clean import clean


def test_sentences_keep_their_closing_quotes() -> None:
    text = "他说：“我们会来的。”随后离开了！真的吗？是的……好"
    sentences = [text[s:e] for s, e in split_sentences(text)]
    assert sentences == ["他说：“我们会来的。”", "随后离开了！", "真的吗？", "是的……", "好"]


def test_line_breaks_end_sentences_and_whitespace_is_trimmed() -> None:
    text = "  标题\n\n第一句。 \n第二句"
    assert [text[s:e] for s, e in split_sentences(text)] == ["标题", "第一句。", "第二句"]


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_empty_text_gives_no_passages(text: str) -> None:
    assert chunk(text) == []


def test_seed_passages_match_offsets_sizes_and_sentence_ends() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        article = clean(path.stem, path.read_text("utf-8"))
        passages = chunk(article.text, 150, 400)
        ends = {e for _, e in split_sentences(article.text)}
        starts = {s for s, _ in split_sentences(article.text)}
        assert passages
        for p in passages:
            assert article.text[p.start : p.end] == p.text
            assert len(p.text) <= 400
            assert p.end in ends and p.start in starts
        assert all(len(p.text) >= 150 for p in passages[:-1])
        assert passages[0].start == 0 and passages[-1].end == len(article.text.rstrip())


def test_consecutive_passages_overlap_by_at_most_one_sentence() -> None:
    text = "".join(f"第{i}句话写了一些内容，用来测试重叠。" for i in range(60))
    passages = chunk(text, 150, 400)
    for a, b in zip(passages, passages[1:]):
        assert b.start <= a.end
        overlap = text[b.start : a.end]
        assert len(split_sentences(overlap)) <= 1


def test_a_sentence_longer_than_the_limit_is_cut_at_commas() -> None:
    text = "，".join(["很长的一个分句"] * 120) + "。"
    passages = chunk(text, 150, 400)
    assert all(len(p.text) <= 400 for p in passages)
    assert "".join(text[p.start : p.end] for p in passages) == text
    assert all(text[p.end - 1] in "，。" for p in passages)


def test_offset_shifts_spans() -> None:
    passages = chunk("第一句。第二句。", offset=10)
    assert (passages[0].start, passages[0].end) == (10, 18)
