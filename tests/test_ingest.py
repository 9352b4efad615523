from pathlib import Path

import pytest

from qa.ingest import read_folder, read_text

ARTICLE = "标题\n\n北京儿童医院托管保定市儿童医院。"


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="文章目录不存在"):
        read_folder(tmp_path / "nope")


def test_empty_folder_gives_nothing(tmp_path: Path) -> None:
    assert read_folder(tmp_path) == ([], [])


def test_bad_files_are_skipped_by_name_and_the_rest_read(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text(" \n\t\n", "utf-8")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "notes.md").write_text("不是文章", "utf-8")
    sources, skipped = read_folder(tmp_path)
    assert [s.doc_id for s in sources] == ["good"]
    reasons = {s.path.name: s.reason for s in skipped}
    assert set(reasons) == {"empty.txt", "blank.txt", "image.txt", "loop.txt"}
    assert reasons["empty.txt"] == "空文件" and reasons["blank.txt"] == "空文件"
    assert "二进制" in reasons["image.txt"]
    assert "符号链接" in reasons["loop.txt"]


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8"])
def test_chinese_encodings_are_read_right(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(ARTICLE.encode(encoding))
    assert read_text(path) == ARTICLE


def test_doc_id_is_the_file_stem_even_with_spaces_and_chinese(tmp_path: Path) -> None:
    (tmp_path / "保定 医疗 报道.txt").write_text(ARTICLE, "utf-8")
    sources, _ = read_folder(tmp_path)
    assert sources[0].doc_id == "保定 医疗 报道"


def test_oversized_and_unreadable_files_are_skipped_with_a_reason(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "good.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "dump.txt").write_bytes(("保定医疗合作。" * 1_000_000).encode("utf-8"))  # 21 MB
    (tmp_path / "locked.txt").write_text(ARTICLE, "utf-8")
    real_read = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        if path.name == "locked.txt":  # chmod 000 does not stop root, so refuse the read here
            raise PermissionError(13, "Permission denied")
        return real_read(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    sources, skipped = read_folder(tmp_path)
    assert [s.doc_id for s in sources] == ["good"]
    reasons = {s.path.name: s.reason for s in skipped}
    assert reasons == {"dump.txt": "文件超过 10 MB，不像一篇文章", "locked.txt": "没有读取权限"}
