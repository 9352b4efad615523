import errno
import json
import shutil
import stat
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import qa
from qa import QueryError, default_index, faiss_store, open_index
from qa.index import IndexUnavailable, build, live_version
from qa.versions import current_version, locked

QUESTIONS = {
    "保定与京津开展了多少例远程医疗合作？": "004_22f6b134d5afdb68",
    "保定市儿童医院是哪一年被北京儿童医院托管的？": "004_22f6b134d5afdb68",
    "北京嘉会国际化医院规划了多少张床位？": "000_7ccae0e84f9d4e94",
    "嘉会医疗的首席执行官是谁？": "000_7ccae0e84f9d4e94",
    "北京北苑中医医院的院长叫什么名字？": "001_3b63b2011723f789",
    "首钢医院和北苑中医医院的医联体在哪一天揭牌？": "001_3b63b2011723f789",
    "仁济医院是哪一年创建的？": "002_efffaf8d8c8c7af9",
    "莱佛士医疗集团来自哪个国家？": "002_efffaf8d8c8c7af9",
    "北大怀密医学中心规划占地多少亩？": "003_aba7b95ac7142b72",
    "密云县医院从哪一年开始选送医务人员去北大医院进修？": "003_aba7b95ac7142b72",
}


@pytest.mark.parametrize("method", ["hybrid", "dense", "bm25"])
def test_search_finds_the_right_article(seed_index, method: str) -> None:
    for question, doc_id in QUESTIONS.items():
        hits = seed_index.search(question, k=3, method=method)
        assert hits[0].doc_id == doc_id, (method, question, hits[0].text[:40])


def test_hits_carry_offsets_into_the_cleaned_article(seed_index) -> None:
    hits = seed_index.search("远程医疗合作3万例", k=5)
    assert len(hits) == 5
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    for hit in hits:
        article = seed_index.articles[hit.doc_id]
        assert article.text[hit.start : hit.end] == hit.text
        assert hit.title == article.title


def test_open_index_reloads_the_same_index(seed_index, base_settings) -> None:
    reopened = open_index(base_settings.index, base_settings)
    assert reopened.records == seed_index.records
    assert np.array_equal(reopened.vectors, seed_index.vectors)
    question = next(iter(QUESTIONS))
    assert reopened.search(question, 3) == seed_index.search(question, 3)


@pytest.mark.parametrize("question", ["", "   \n\t", "？？！！", "😀😀"])
def test_empty_or_wordless_questions_are_clear_errors(seed_index, question: str) -> None:
    with pytest.raises(QueryError):
        seed_index.search(question)


def test_huge_question_gives_a_sensible_result(seed_index) -> None:
    hits = seed_index.search("仁济医院创建于哪一年？" + "医" * 10_000, k=3)
    assert len(hits) == 3


def test_incremental_update_reembeds_only_what_changed(tmp_path: Path, articles_copy: Path, base_settings) -> None:
    settings = replace(base_settings, articles=articles_copy, index=tmp_path / "index")
    first, summary = build(settings)
    assert summary.embedded == 5
    unchanged, summary = build(settings)
    assert summary.embedded == 0 and np.array_equal(unchanged.vectors, first.vectors)

    changed = articles_copy / "002_efffaf8d8c8c7af9.txt"
    changed.write_text(changed.read_text("utf-8").replace("1844年", "1845年"), "utf-8")
    (articles_copy / "003_aba7b95ac7142b72.txt").unlink()
    (articles_copy / "new.txt").write_text("新的文章\n\n保定市第二医院开设了口腔院区，患者增长明显。", "utf-8")
    updated, summary = build(settings)
    assert summary.embedded == 2 and summary.articles == 5
    assert "003_aba7b95ac7142b72" not in updated.articles and "new" in updated.articles
    for doc_id in ("000_7ccae0e84f9d4e94", "001_3b63b2011723f789", "004_22f6b134d5afdb68"):
        old_rows = [i for i, r in enumerate(first.records) if r.doc_id == doc_id]
        new_rows = [i for i, r in enumerate(updated.records) if r.doc_id == doc_id]
        assert np.array_equal(first.vectors[old_rows], updated.vectors[new_rows])
    assert updated.search("仁济医院创建于哪一年？", 1)[0].text.count("1845年") == 1
    assert open_index(settings.index, settings).records == updated.records


def test_bad_files_are_reported_and_the_rest_indexed(tmp_path: Path, articles_copy: Path, base_settings) -> None:
    (articles_copy / "empty.txt").write_bytes(b"")
    (articles_copy / "photo.txt").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(300))
    (articles_copy / "menu.txt").write_text("首页 | 新闻 | 体育 | 娱乐 | 财经\n相关新闻\n", "utf-8")
    (articles_copy / "gbk.txt").write_bytes("保定医院\n\n保定市第一中心医院与北京协和医院开展联合会诊。".encode("gbk"))
    settings = replace(base_settings, articles=articles_copy, index=tmp_path / "index")
    index, summary = build(settings)
    assert {s.path.name for s in summary.skipped} == {"empty.txt", "photo.txt", "menu.txt"}
    assert "gbk" in index.articles and summary.articles == 6
    assert "photo.txt" in summary.line()


def test_missing_index_says_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(IndexUnavailable, match="qa index"):
        open_index(tmp_path / "none")


def _copy(base_settings, tmp_path: Path) -> Path:
    target = tmp_path / "index"
    shutil.copytree(base_settings.index, target)
    return target


def test_index_from_another_model_or_chunking_says_to_rebuild(tmp_path: Path, seed_index, base_settings) -> None:
    folder = _copy(base_settings, tmp_path)
    manifest_path = live_version(folder) / "manifest.json"
    manifest = json.loads(manifest_path.read_text("utf-8"))
    manifest_path.write_text(json.dumps({**manifest, "model": "bge-small-zh"}), "utf-8")
    with pytest.raises(IndexUnavailable, match="bge-small-zh.*--full"):
        open_index(folder, base_settings)
    manifest_path.write_text(json.dumps(manifest), "utf-8")
    with pytest.raises(IndexUnavailable, match="max_chars.*重建"):
        open_index(folder, replace(base_settings, max_chars=300))


def test_truncated_faiss_file_says_to_rebuild(tmp_path: Path, seed_index, base_settings) -> None:
    folder = _copy(base_settings, tmp_path)
    path = live_version(folder) / "dense.faiss"
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(IndexUnavailable, match="损坏.*重建"):
        open_index(folder, base_settings)


def test_passages_out_of_step_with_vectors_say_to_rebuild(tmp_path: Path, seed_index, base_settings) -> None:
    folder = _copy(base_settings, tmp_path)
    path = live_version(folder) / "passages.jsonl"
    path.write_text("".join(path.read_text("utf-8").splitlines(keepends=True)[:-1]), "utf-8")
    with pytest.raises(IndexUnavailable, match="不一致"):
        open_index(folder, base_settings)


def test_disk_full_during_rebuild_keeps_the_old_index(
    tmp_path: Path, articles_copy: Path, base_settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = replace(base_settings, articles=articles_copy, index=tmp_path / "index")
    build(settings)
    before = live_version(settings.index)
    (articles_copy / "new.txt").write_text("新文章\n\n保定市第二医院口腔院区外地患者增长。", "utf-8")

    def full_disk(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(faiss_store.faiss, "write_index", full_disk)
    with pytest.raises(IndexUnavailable, match="No space left on device.*原索引保持不变"):
        build(settings)
    monkeypatch.undo()
    assert live_version(settings.index) == before
    assert not list(settings.index.glob(".staging-*"))
    assert "new" not in open_index(settings.index, settings).articles
    assert "new" in build(settings)[0].articles


def test_two_builds_at_once_are_refused(tmp_path: Path, base_settings) -> None:
    settings = replace(base_settings, index=tmp_path / "index")
    with locked(settings.index), pytest.raises(IndexUnavailable, match="另一个 qa index"):
        build(settings)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_versions_are_readable_by_other_users(seed_index, base_settings) -> None:
    version = live_version(base_settings.index)
    assert _mode(base_settings.index / "CURRENT") == 0o644
    paths = [version, *version.rglob("*")]
    modes = {str(p.relative_to(version.parent)): _mode(p) for p in paths}
    assert modes == {str(p.relative_to(version.parent)): 0o755 if p.is_dir() else 0o644 for p in paths}


def test_only_a_first_run_builds_the_default_index(
    tmp_path: Path, seed_index, base_settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QA_INDEX", str(tmp_path / "first"))
    assert qa.search("仁济医院是哪一年创建的？", 1)[0].doc_id == "002_efffaf8d8c8c7af9"
    assert current_version(tmp_path / "first")

    unpointed = replace(base_settings, index=tmp_path / "unpointed")
    shutil.copytree(base_settings.index, unpointed.index)
    (unpointed.index / "CURRENT").unlink()
    before = sorted(unpointed.index.iterdir())
    for create in (False, True):
        with pytest.raises(IndexUnavailable, match="qa index --restore"):
            default_index(unpointed, create=create)
    assert sorted(unpointed.index.iterdir()) == before
