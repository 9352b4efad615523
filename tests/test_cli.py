import json
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
    assert out.startswith("**柳娟**") and "来源：" in out and "001_3b63b2011723f789" in out


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


def test_serve_warns_when_exposed_and_checks_auth(monkeypatch, capsys: pytest.CaptureFixture, base_settings) -> None:
    import ui.app

    served = []
    monkeypatch.setattr(ui.app, "serve", lambda *args: served.append(args))
    index = ["--index", str(base_settings.index)]
    assert main(["serve", "--host", "0.0.0.0", "--auth", "reader:secret", *index]) == 0
    assert "警告" in capsys.readouterr().out and served[0][1:] == ("0.0.0.0", 7860, ("reader", "secret"))
    assert main(["serve", "--auth", "nopassword", *index]) == 2
    assert "用户名:密码" in capsys.readouterr().err
