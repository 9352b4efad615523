import math

import pytest

from qa.lexical import BM25, bigrams, words

CORPUS = ["保定开展远程医疗合作3万例", "北京儿童医院托管保定市儿童医院", "上海仁济医院与莱佛士医疗集团合作"]


def test_words_are_jieba_search_mode_without_punctuation() -> None:
    tokens = words("保定与京津开展了多少例远程医疗合作？！")
    assert "远程" in tokens and "医疗" in tokens
    assert not any(t in "？！，。 " for t in tokens)


def test_bigrams_pair_chinese_and_keep_latin_words_whole() -> None:
    assert bigrams("仁济医院 ICU") == ["仁济", "济医", "医院", "icu"]
    assert bigrams("院") == ["院"]


@pytest.mark.parametrize("tokenizer", [words, bigrams])
def test_chinese_bm25_never_scores_silently_zero(tokenizer) -> None:
    scores = BM25(tokenizer).fit(CORPUS).scores("保定的远程医疗合作有多少例？")
    assert scores.argmax() == 0 and scores[0] > 0


def test_unknown_or_empty_query_scores_zero() -> None:
    model = BM25(words).fit(CORPUS)
    assert not model.scores("完全无关的气象").any()
    assert not model.scores("？？").any()


def test_scores_match_the_lucene_formula() -> None:
    model = BM25(words).fit(CORPUS)
    docs = [words(t) for t in CORPUS]
    k1, b = 1.5, 0.75
    average = sum(map(len, docs)) / len(docs)
    query = words("保定儿童医院合作")

    def reference(doc: list[str]) -> float:
        total = 0.0
        for term in set(query):
            df = sum(term in d for d in docs)
            if not df:
                continue
            idf = math.log(1 + (len(docs) - df + 0.5) / (df + 0.5))
            tf = doc.count(term)
            total += idf * tf / (tf + k1 * (1 - b + b * len(doc) / average))
        return total

    expected = [reference(d) for d in docs]
    assert model.scores("保定儿童医院合作").tolist() == pytest.approx(expected, rel=1e-4)
