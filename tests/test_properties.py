"""Property-based tests: any text in, never an exception, and passages that match the article."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa.chunk import chunk, split_sentences
from qa.clean import clean

CHINESE = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
PUNCTUATION = st.sampled_from(list("。！？；…，、：“”‘’（）\n\n \t") + ["https://a.cn/x.jpg", "相关新闻", "责任编辑"])
TEXT = st.lists(st.one_of(CHINESE, PUNCTUATION, st.characters()), max_size=1500).map("".join)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(TEXT)
def test_clean_never_raises_and_keeps_only_text_from_the_page(raw: str) -> None:
    article = clean("doc", raw)
    lines = {line.strip().replace("\u3000", " ").strip() for line in raw.replace("\r", "\n").split("\n")}
    for line in article.text.split("\n"):
        assert not line or line in lines or line.startswith(article.date or "\x00") or line == article.title


@FAST
@given(TEXT, st.integers(20, 200), st.integers(0, 300))
def test_passages_match_offsets_and_lose_no_text(text: str, min_chars: int, extra: int) -> None:
    max_chars = min_chars + extra + 1
    passages = chunk(text, min_chars, max_chars)
    for p in passages:
        assert text[p.start : p.end] == p.text
        assert 0 < len(p.text) <= max_chars
    covered = set()
    for p in passages:
        covered.update(range(p.start, p.end))
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)
    assert [p.start for p in passages] == sorted(p.start for p in passages)


@FAST
@given(TEXT)
def test_sentences_are_ordered_non_empty_and_trimmed(text: str) -> None:
    spans = split_sentences(text)
    for (_, end), (next_start, _) in zip(spans, spans[1:]):
        assert end <= next_start
    for start, end in spans:
        assert text[start:end].strip() == text[start:end] != ""


@FAST
@given(TEXT)
def test_cleaned_articles_chunk_cleanly(raw: str) -> None:
    article = clean("doc", raw)
    for p in chunk(article.text):
        assert article.text[p.start : p.end] == p.text
