"""Both stores behind one interface: FAISS files and a Milvus collection (Milvus Lite, the real engine, no mocks)."""

import json
import threading
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from qa import default_index, load, open_index
from qa.cli import main
from qa.faiss_store import FaissStore
from qa.index import IndexUnavailable, build
from qa.milvus_store import FUSIONS, MilvusStore
from qa.store import Entry

STORES = ["faiss", "milvus"]
QUESTIONS = {
    "保定与京津开展了多少例远程医疗合作？": "004_22f6b134d5afdb68",
    "嘉会医疗的首席执行官是谁？": "000_7ccae0e84f9d4e94",
    "北京北苑中医医院的院长叫什么名字？": "001_3b63b2011723f789",
    "仁济医院是哪一年创建的？": "002_efffaf8d8c8c7af9",
    "北大怀密医学中心规划占地多少亩？": "003_aba7b95ac7142b72",
}


def _milvus(settings, folder: Path):
    """`settings` pointed at a Milvus Lite file in `folder`."""
    return replace(settings, store="milvus", milvus_uri=str(folder / "milvus.db"))


@pytest.fixture(scope="session")
def moved(seed_index, base_settings, tmp_path_factory):
    """The seed index moved into Milvus Lite (vectors reused), and what `qa index` printed."""
    settings = _milvus(base_settings, tmp_path_factory.mktemp("moved"))
    index, summary = build(settings)
    return index, summary


@pytest.fixture(params=STORES)
def searched(request, seed_index, moved):
    return seed_index if request.param == "faiss" else moved[0]


@pytest.fixture(params=STORES)
def own(request, tmp_path: Path, articles_copy: Path, base_settings):
    """Settings of a store of its own over a writable copy of the seeds, built."""
    settings = replace(base_settings, articles=articles_copy, index=tmp_path / "index")
    settings = _milvus(settings, tmp_path) if request.param == "milvus" else settings
    build(settings)
    return settings


@pytest.mark.parametrize("method", ["hybrid", "dense", "bm25"])
def test_search_finds_the_right_article(searched, method: str) -> None:
    for question, doc_id in QUESTIONS.items():
        assert searched.search(question, k=3, method=method)[0].doc_id == doc_id, (method, question)


@pytest.mark.parametrize("fusion", FUSIONS)
def test_every_milvus_fusion_finds_the_right_article(moved, fusion: str) -> None:
    store = moved[0].store
    store.fusion = fusion
    try:
        for question, doc_id in QUESTIONS.items():
            assert moved[0].search(question, k=3)[0].doc_id == doc_id, (fusion, question)
    finally:
        store.fusion = "ours"


def test_milvus_keeps_whole_articles_and_spans_into_them(seed_index, moved) -> None:
    milvus = moved[0]
    assert dict(milvus.articles.items()) == seed_index.articles
    assert milvus.records == sorted(seed_index.records, key=lambda r: (r.doc_id, r.start))
    for hit in milvus.search("远程医疗合作3万例", k=5):
        article = milvus.articles[hit.doc_id]
        assert article.text[hit.start : hit.end] == hit.text and hit.title == article.title


def test_moving_a_faiss_index_into_milvus_embeds_nothing(seed_index, moved) -> None:
    milvus, summary = moved
    assert (summary.articles, summary.passages, summary.embedded) == (5, len(seed_index.records), 0)
    for doc_id in seed_index.articles:
        assert np.array_equal(milvus.store.entry(doc_id).vectors, seed_index.store.entry(doc_id).vectors)
    for question in QUESTIONS:
        assert [(h.doc_id, h.start) for h in milvus.search(question, 5, "dense")] == [
            (h.doc_id, h.start) for h in seed_index.search(question, 5, "dense")
        ]


def test_the_cli_moves_an_index_with_its_flags(seed_index, base_settings, tmp_path: Path, capsys) -> None:
    milvus = ["--store", "milvus", "--milvus-uri", str(tmp_path / "m.db"), "--milvus-collection", "news"]
    assert main(["index", "--index", str(base_settings.index), *milvus]) == 0
    assert "重新嵌入 0 篇" in capsys.readouterr().out
    assert main(["search", "仁济医院创建于哪一年？", "--json", "--index", str(tmp_path / "none"), *milvus]) == 0
    assert json.loads(capsys.readouterr().out)[0]["doc_id"] == "002_efffaf8d8c8c7af9"
    assert main(["search", "仁济医院创建于哪一年？", "--json", *milvus[2:]]) == 0  # the URI alone picks Milvus
    assert json.loads(capsys.readouterr().out)[0]["doc_id"] == "002_efffaf8d8c8c7af9"


def test_the_following_passage_is_the_same_in_both_stores(seed_index, moved) -> None:
    question = "保定与京津开展了多少例远程医疗合作？"
    hit = seed_index.search(question, 1)[0]
    after = seed_index.following(hit)
    assert after and after.doc_id == hit.doc_id and after.start > hit.start
    assert moved[0].following(hit) == after


@pytest.mark.parametrize("kind", STORES)
def test_put_replace_drop_and_count(kind: str, seed_index, base_settings, tmp_path: Path) -> None:
    settings = replace(_milvus(base_settings, tmp_path), index=tmp_path / "index")
    store = MilvusStore.create(settings) if kind == "milvus" else FaissStore(settings)
    entries = [seed_index.store.entry(doc_id) for doc_id in seed_index.articles]
    for entry in entries:
        store.put(entry)
    store.commit()
    assert store.count() == len(seed_index.records)
    first = entries[0]
    store.put(first)
    store.put(Entry(replace(first.article, format="docx"), "changed", first.records[:1], first.vectors[:1]))
    store.commit()
    assert store.count() == len(seed_index.records) - len(first.records) + 1
    assert store.articles[first.article.doc_id].format == "docx"
    assert store.manifest["articles"][first.article.doc_id] == "changed"
    assert store.passages(first.article.doc_id)[0].start == first.records[0].start
    last = entries[-1]
    assert store.dense(last.vectors[1], 1)[0].start == last.records[1].start
    store.drop(last.article.doc_id)
    store.commit()
    assert last.article.doc_id not in store.articles and not store.passages(last.article.doc_id)
    assert store.count() == len(seed_index.records) - len(first.records) + 1 - len(last.records)


def test_incremental_update_embeds_only_what_changed(own) -> None:
    index = default_index(own)
    kept = {d: index.store.entry(d).vectors for d in ("000_7ccae0e84f9d4e94", "004_22f6b134d5afdb68")}
    changed = own.articles / "002_efffaf8d8c8c7af9.txt"
    changed.write_text(changed.read_text("utf-8").replace("1844年", "1845年"), "utf-8")
    (own.articles / "003_aba7b95ac7142b72.txt").unlink()
    (own.articles / "new.txt").write_text("新的文章\n\n保定市第二医院开设了口腔院区，患者增长明显。", "utf-8")
    updated, summary = build(own)
    assert (summary.embedded, summary.articles) == (2, 5)
    assert "003_aba7b95ac7142b72" not in updated.articles and "new" in updated.articles
    assert all(np.array_equal(updated.store.entry(d).vectors, v) for d, v in kept.items())
    assert updated.store.count() == len(updated.records)
    assert updated.search("仁济医院创建于哪一年？", 1)[0].text.count("1845年") == 1
    assert default_index(own).search("仁济医院创建于哪一年？", 1)[0].text.count("1845年") == 1
    assert not [h for h in updated.search("北大怀密医学中心规划占地多少亩？", 10) if h.doc_id.startswith("003_")]
    assert build(own)[1].embedded == 0


def test_rebuild_while_searching_never_fails_a_request(own) -> None:
    serving = default_index(own)
    changed = own.articles / "002_efffaf8d8c8c7af9.txt"
    changed.write_text(changed.read_text("utf-8").replace("1844年", "1845年"), "utf-8")
    (own.articles / "new.txt").write_text("新的文章\n\n保定市第二医院开设了口腔院区，患者增长明显。", "utf-8")
    answers: list[str] = []
    failures: list[BaseException] = []
    done = threading.Event()

    def search() -> None:
        while not done.is_set():
            try:
                answers.append(default_index(own).search("北京北苑中医医院的院长叫什么名字？", 3)[0].doc_id)
            except BaseException as error:  # noqa: BLE001 (any failure is what this test looks for)
                failures.append(error)

    threads = [threading.Thread(target=search) for _ in range(3)]
    for thread in threads:
        thread.start()
    build(own)
    done.set()
    for thread in threads:
        thread.join()
    assert not failures and answers and set(answers) == {"001_3b63b2011723f789"}
    assert "1845年" in default_index(own).search("仁济医院创建于哪一年？", 1)[0].text
    assert serving.search("北京北苑中医医院的院长叫什么名字？", 1)[0].doc_id == "001_3b63b2011723f789"


def test_milvus_built_with_other_settings_says_to_rebuild(seed_index, base_settings, tmp_path: Path) -> None:
    settings = _milvus(base_settings, tmp_path)
    build(settings)
    with pytest.raises(IndexUnavailable, match="max_chars.*重建"):
        open_index(base_settings.index, replace(settings, max_chars=300))
    store = open_index(base_settings.index, settings).store
    row = store.client.query(store.name, filter="", output_fields=["*"], limit=1)[0]
    row["build"] = json.dumps({**json.loads(row["build"]), "model": "bge-small-zh"})
    store.client.upsert(store.name, [{k: v for k, v in row.items() if k != "sparse"}])
    with pytest.raises(IndexUnavailable, match="bge-small-zh.*--full --store milvus"):
        open_index(base_settings.index, settings)
    assert build(settings)[1].embedded == 0  # the article is written again, its vectors taken from FAISS
    assert open_index(base_settings.index, settings).search("仁济医院是哪一年创建的？", 1)


def test_a_collection_qa_did_not_build_is_refused(base_settings, tmp_path: Path) -> None:
    settings = _milvus(base_settings, tmp_path)
    store = MilvusStore.create(settings)
    store.client.create_collection("other", dimension=8)
    with pytest.raises(IndexUnavailable, match="不是 qa index 建立的"):
        open_index(tmp_path, replace(settings, milvus_collection="other"))
    with pytest.raises(IndexUnavailable, match="集合 missing 不存在.*qa index --store milvus"):
        open_index(tmp_path, replace(settings, milvus_collection="missing"))


def test_an_unreachable_or_missing_milvus_is_one_clear_line(tmp_path: Path, capsys) -> None:
    uri = f"http://127.0.0.1:{load.free_port()}"
    assert main(["search", "仁济医院创建于哪一年？", "--store", "milvus", "--milvus-uri", uri]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"错误：无法连接 Milvus（{uri}）") and err.count("\n") == 1 and "Traceback" not in err
    lite = str(tmp_path / "none.db")
    assert main(["ask", "仁济医院创建于哪一年？", "--store", "milvus", "--milvus-uri", lite]) == 2
    assert capsys.readouterr().err == f"错误：Milvus Lite 数据库 {lite} 不存在：请先运行 qa index --store milvus\n"
    assert main(["index", "--restore", "v-1", "--store", "milvus", "--milvus-uri", lite]) == 2
    assert "没有保存的版本" in capsys.readouterr().err
    assert main(["search", "问题", "--store", "milvus", "--milvus-uri", str(tmp_path / "x.sqlite")]) == 2
    assert "以 .db 结尾" in capsys.readouterr().err
