import codecs
import random
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
    (tmp_path / "notes.csv").write_text("不是文章", "utf-8")
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


@pytest.mark.parametrize("bom, encoding", [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_utf16_with_a_byte_order_mark_is_read(tmp_path: Path, bom: bytes, encoding: str) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(bom + ARTICLE.encode(encoding))
    assert read_text(path) == ARTICLE


def test_a_few_bad_bytes_in_utf8_are_replaced_and_counted(tmp_path: Path) -> None:
    damaged = (
        "标题\n\n".encode() + b"\xff" + "北京儿童医院".encode() + "托".encode()[:2] + "管保定市儿童医院。".encode()
    )
    (tmp_path / "a.txt").write_bytes(codecs.BOM_UTF8 + damaged)
    sources, notices = read_folder(tmp_path)
    assert [s.raw for s in sources] == ["标题\n\n\ufffd北京儿童医院\ufffd\ufffd管保定市儿童医院。"]
    assert [n.line() for n in notices] == ["注意 a.txt：3 个字节不是有效的 UTF-8，已替换为 \ufffd"]


def test_legacy_encodings_and_noise_are_not_taken_for_damaged_utf8(tmp_path: Path) -> None:
    mostly_ascii = "Xinhua, Beijing, 2018-05-01: hospitals of Baoding and Beijing agree on remote care. " * 8 + "保定"
    (tmp_path / "gbk.txt").write_bytes(mostly_ascii.encode("gbk"))
    noise = bytes(b for b in random.Random(0).randbytes(5000) if b)
    (tmp_path / "noise.txt").write_bytes(noise)
    sources, skipped = read_folder(tmp_path)
    assert [s.raw for s in sources] == [mostly_ascii]
    assert [(s.path.name, s.reason) for s in skipped] == [
        ("noise.txt", "无法识别的编码（不是 UTF-8、UTF-16 或 GB18030）")
    ]


def test_links_that_leave_the_folder_are_skipped_and_links_inside_are_read(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    (articles / "sub").mkdir(parents=True)
    (articles / "sub" / "kept.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "secret.txt").write_text("机密\n\n文章目录外的内容。", "utf-8")
    (tmp_path / "elsewhere").mkdir()
    (articles / "inside.txt").symlink_to(articles / "sub" / "kept.txt")
    (articles / "relative.txt").symlink_to(Path("sub/kept.txt"))
    (articles / "passwd.txt").symlink_to("/etc/passwd")
    (articles / "secret.txt").symlink_to(tmp_path / "secret.txt")
    (articles / "climbs.txt").symlink_to(Path("../secret.txt"))
    (articles / "chain.txt").symlink_to(articles / "secret.txt")
    (articles / "folder.txt").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "via-link").symlink_to(articles)
    for folder in (articles, tmp_path / "via-link"):
        sources, skipped = read_folder(folder)
        assert [(s.doc_id, s.raw) for s in sources] == [("inside", ARTICLE), ("relative", ARTICLE)]
        outside = {"chain.txt", "climbs.txt", "folder.txt", "passwd.txt", "secret.txt"}
        assert {s.path.name: s.reason for s in skipped} == dict.fromkeys(outside, "符号链接指向文章目录之外，不读取")
    with pytest.raises(ValueError, match="文章目录之外"):
        read_text(articles / "passwd.txt")
