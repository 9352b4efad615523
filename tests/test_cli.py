import json
import shutil
import sys
from pathlib import Path

import pytest

from qa.cli import main


def test_search_json_lists_ranked_passages(seed_index, base_settings, capsys: pytest.CaptureFixture) -> None:
    assert main(["search", "仁济医院创建于哪一年？", "-k", "3", "--index", str(base_settings.index), "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert len(hits) == 3 and hits[0]["doc_id"] == "002_efffaf8d8c8c7af9"
    assert {"doc_id", "title", "text", "score", "start", "end"} <= set(hits[0])


def test_ask_prints_the_answer_and_its_sources(seed_index, base_settings, capsys: pytest.CaptureFixture) -> None:
    assert main(["ask", "北京北苑中医医院的院长是谁？", "--index", str(base_settings.index)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("柳娟") and "**" not in out and "来源：" in out and "001_3b63b2011723f789" in out


def test_ask_shows_bold_on_a_terminal(seed_index, base_settings, capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert main(["ask", "北京北苑中医医院的院长是谁？", "--index", str(base_settings.index)]) == 0
    assert capsys.readouterr().out.startswith("\033[1m柳娟\033[0m")


def test_index_prints_a_one_line_summary(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.txt").write_text("保定医院\n\n保定市第一中心医院与北京协和医院开展联合会诊。", "utf-8")
    (articles / "b.txt").write_bytes(b"")
    assert main(["index", "--articles", str(articles), "--index", str(tmp_path / "index")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1 篇文章，1 段，重新嵌入 1 篇") and "跳过 b.txt：空文件" in out


def test_errors_are_one_clear_line_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "CURRENT").write_text("v-missing")
    assert main(["search", "问题", "--index", str(tmp_path / "index")]) == 2
    assert capsys.readouterr().err.startswith("错误：索引版本 v-missing 缺失")


def test_empty_question_is_refused(seed_index, base_settings, capsys: pytest.CaptureFixture) -> None:
    assert main(["ask", "   ", "--index", str(base_settings.index)]) == 2
    assert "问题为空" in capsys.readouterr().err


def test_serve_warns_when_exposed_and_checks_auth(
    monkeypatch, capsys: pytest.CaptureFixture, seed_index, base_settings
) -> None:
    import ui.app

    served = []
    monkeypatch.setattr(ui.app, "serve", lambda *args, **options: served.append((*args, options)))
    index = ["--index", str(base_settings.index)]
    assert main(["serve", "--host", "0.0.0.0", "--auth", "reader:secret", *index]) == 0
    expected = ("0.0.0.0", 7860, ("reader", "secret"), {"read_only": False})
    assert "警告" in capsys.readouterr().out and served[0][1:] == expected
    assert main(["serve", "--read-only", *index]) == 0 and served[1][-1] == {"read_only": True}
    monkeypatch.setenv("QA_READ_ONLY", "1")
    assert main(["serve", *index]) == 0 and served[2][-1] == {"read_only": True}
    assert main(["serve", "--auth", "nopassword", *index]) == 2
    assert "用户名:密码" in capsys.readouterr().err


def _with_older_version(base_settings, tmp_path: Path) -> tuple[Path, str, str]:
    """A copy of the seed index with an older copy of its live version beside it."""
    folder = tmp_path / "index"
    shutil.copytree(base_settings.index, folder)
    live = (folder / "CURRENT").read_text("utf-8")
    older = "v-20000101-000000-older0"
    shutil.copytree(folder / live, folder / older)
    return folder, older, live


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("pointer", [None, b"", b"\xff\xfev-\x00"])
def test_read_only_command_without_a_usable_pointer_builds_nothing(
    pointer: bytes | None, seed_index, base_settings, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    folder, older, live = _with_older_version(base_settings, tmp_path)
    if pointer is None:
        (folder / "CURRENT").unlink()
    else:
        (folder / "CURRENT").write_bytes(pointer)
    before = _listing(folder)
    assert main(["search", "社区服务中心", "--index", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：索引指针") and err.count("\n") == 1
    assert older in err and f"qa index --restore {live} --index {folder}" in err
    assert _listing(folder) == before


def test_restore_makes_a_saved_version_live(
    seed_index, base_settings, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    folder, older, live = _with_older_version(base_settings, tmp_path)
    (folder / "CURRENT").unlink()
    assert main(["index", "--restore", older, "--index", str(folder)]) == 0
    assert (folder / "CURRENT").read_text("utf-8") == older and older in capsys.readouterr().out
    assert main(["search", "仁济医院创建于哪一年？", "--index", str(folder), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["doc_id"] == "002_efffaf8d8c8c7af9"

    before = _listing(folder)
    assert main(["index", "--restore", "v-none", "--index", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "v-none" in err and live in err and err.count("\n") == 1
    (folder / live / "manifest.json").unlink()
    assert main(["index", "--restore", live, "--index", str(folder)]) == 2
    assert "损坏" in capsys.readouterr().err
    assert (folder / "CURRENT").read_text("utf-8") == older and _listing(folder) == before


@pytest.mark.parametrize(
    "command", [["search", "仁济医院创建于哪一年？"], ["ask", "仁济医院创建于哪一年？"], ["chat"], ["serve"]]
)
def test_read_only_commands_do_not_create_an_index_folder(
    command: list[str], tmp_path: Path, monkeypatch, capsys: pytest.CaptureFixture
) -> None:
    import ui.app

    monkeypatch.setattr(ui.app, "serve", lambda *args: None)
    missing = tmp_path / "none"
    assert main([*command, "--index", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"错误：索引目录不存在：{missing}") and err.count("\n") == 1
    assert not missing.exists()


def test_index_of_a_folder_without_articles_publishes_nothing(
    seed_index, base_settings, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    folder = tmp_path / "index"
    shutil.copytree(base_settings.index, folder)
    before, pointer = _listing(folder), (folder / "CURRENT").read_text("utf-8")
    empty = tmp_path / "articles"
    empty.mkdir()
    (empty / "blank.txt").write_bytes(b"")
    for index in (folder, tmp_path / "fresh"):
        assert main(["index", "--articles", str(empty), "--index", str(index)]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"错误：文章目录 {empty} 中没有可索引的文章") and err.count("\n") == 1
    assert _listing(folder) == before and (folder / "CURRENT").read_text("utf-8") == pointer
    assert not (tmp_path / "fresh").exists()
