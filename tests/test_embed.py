import numpy as np
import pytest

from qa.embed import DIMENSION, encoder, sentence_transformer

TEXTS = ["保定与京津开展远程医疗合作3万例。", "上海仁济医院创建于1844年。", "今天的天气很好。"]


@pytest.fixture(scope="module")
def fast():
    return encoder("openvino")


@pytest.fixture(scope="module")
def reference():
    return encoder("torch")


def test_vectors_are_normalised_and_of_the_model_dimension(fast) -> None:
    vectors = fast.encode(TEXTS)
    assert vectors.shape == (3, DIMENSION) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)


def test_openvino_gives_the_same_vectors_as_torch(fast, reference) -> None:
    cosine = (fast.encode(TEXTS) * reference.encode(TEXTS)).sum(axis=1)
    assert cosine.min() > 0.9999


def test_matches_sentence_transformers_encode(reference) -> None:
    expected = sentence_transformer().encode(TEXTS, normalize_embeddings=True)
    assert np.allclose(reference.encode(TEXTS), expected, atol=1e-5)


def test_similar_meaning_scores_higher(fast) -> None:
    query, *passages = fast.encode(["远程医疗合作有多少例？", *TEXTS])
    scores = [float(query @ p) for p in passages]
    assert scores[0] == max(scores)


def test_text_beyond_512_tokens_is_not_truncated(fast) -> None:
    head = "北京儿童医院托管保定市儿童医院，提升了诊疗水平。" * 30
    tail = "上海莱佛士医院位于浦东新区前滩国际商务区。" * 20
    vectors = fast.encode([head, head + tail])
    assert float(vectors[0] @ vectors[1]) < 0.99


def test_order_is_kept_with_mixed_lengths(fast) -> None:
    texts = ["短句。", "一个长得多的句子，讲的是医院的建设和合作。" * 5, "中等长度的句子。"]
    together = fast.encode(texts)
    alone = np.vstack([fast.encode([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-4)


def test_empty_text_still_gives_a_unit_vector(fast) -> None:
    assert np.isclose(np.linalg.norm(fast.encode([""])[0]), 1, atol=1e-5)
