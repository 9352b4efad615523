"""Every article format through the real path: read, clean, chunk, embed, index, answer with a citation.

The fixtures in tests/data/formats are written by tests/data/make_formats.py with the libraries themselves.
"""

from __future__ import annotations

import io
import shutil
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader, PdfWriter

import qa
from qa import ingest, open_index
from qa.formats import docx as docx_reader
from qa.index import build

DATA = Path(__file__).resolve().parent / "data" / "formats"
GOOD = {"xiongan": "md", "langfang": "html", "chengde": "pdf", "zhangjiakou": "docx"}
# question -> (the article that alone answers it, the answer)
QUESTIONS = {
    "雄安新区口腔医院的院长是谁？": ("xiongan", "刘建华"),
    "廊坊市人民医院的智慧药房每小时能发出多少张处方的药品？": ("langfang", "1200张"),
    "承德卒中中心把溶栓平均时间缩短到了多少分钟？": ("chengde", "38分钟"),
    "张家口市第一医院的急救专线配备了多少辆救护车？": ("zhangjiakou", "16辆"),
}


@pytest.fixture(scope="module")
def built(base_settings, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("formats")
    shutil.copytree(DATA, folder / "articles")
    settings = replace(base_settings, articles=folder / "articles", index=folder / "index")
    return settings, *build(settings)


def test_every_format_is_indexed_and_bad_files_are_skipped_with_their_reason(built) -> None:
    settings, index, summary = built
    assert {doc_id: a.format for doc_id, a in index.articles.items()} == GOOD
    assert {r.doc_id for r in index.records} == set(GOOD)
    reasons = {s.path.name: s.reason for s in summary.skipped}
    assert set(reasons) == {"scanned.pdf", "damaged.docx", "damaged.pdf"}
    assert "扫描版" in reasons["scanned.pdf"] and "没有文字层" in reasons["scanned.pdf"]
    assert len(PdfReader(DATA / "scanned.pdf").pages[0].images) == 1  # a page that is a picture of text
    assert reasons["damaged.docx"].startswith("不是可读的 DOCX") and reasons["damaged.pdf"].startswith("不是可读的 PDF")
    assert "跳过 scanned.pdf：扫描版 PDF" in summary.line()
    assert open_index(settings.index, settings).articles == index.articles  # the format is saved with the article


@pytest.mark.parametrize("question", QUESTIONS)
def test_a_question_only_the_file_answers_is_cited_into_its_cleaned_text(built, question: str) -> None:
    _, index, _ = built
    doc_id, expected = QUESTIONS[question]
    answer = qa.ask(question, index=index, use_llm=False)
    assert answer.found and expected in answer.text
    cited = answer.citations[0]
    text = index.articles[doc_id].text
    assert cited.doc_id == doc_id and text[cited.start : cited.end] == cited.text
    assert expected in text[cited.start : cited.end] and answer.quotes[0] in text


def test_markdown_markup_is_stripped_and_headings_kept_as_lines(built) -> None:
    article = built[1].articles["xiongan"]
    assert (article.title, article.date, article.source) == ("雄安新区口腔医院正式开诊", "2025-04-18", "雄安日报")
    assert "\n北京专家常驻\n" in article.text
    assert "开诊首日接诊患者326人\n预约可通过雄安健康服务平台完成" in article.text
    assert not any(mark in article.text for mark in ("#", "**", "](", "![", "- ", "images/"))


def test_html_page_keeps_the_article_and_drops_menus_related_stories_footer_and_scripts(built) -> None:
    article = built[1].articles["langfang"]
    assert (article.title, article.date, article.source) == ("廊坊市人民医院启用智慧药房", "2025-06-03", "廊坊日报")
    assert article.text.endswith("药师可以把更多精力放在用药咨询和处方审核上。")
    for chrome in (
        "登录",
        "首页",
        "当前位置",
        "责任编辑",
        "相关新闻",
        "廊坊市中医医院",
        "Copyright",
        "ICP",
        "阅读 1024",
    ):
        assert chrome not in article.text


def test_pdf_chinese_text_layer_is_read_with_wrapped_lines_rejoined(built) -> None:
    article = built[1].articles["chengde"]
    assert (article.title, article.date, article.source) == (
        "承德市中心医院与天津医科大学总医院共建卒中中心",
        "2025-09-12",
        "承德晚报",
    )
    assert (
        "\n9月10日，承德市中心医院与天津医科大学总医院签约，双方共同建设的区域卒中中心正式挂牌运行。\n" in article.text
    )
    assert "并通过远程会诊平台指导夜间急诊。" in article.text


def test_docx_paragraphs_come_in_order(built) -> None:
    article = built[1].articles["zhangjiakou"]
    body = article.text.split("\n\n", 1)[1].split("\n")
    assert article.title == "张家口市第一医院开通冬季医疗急救专线"
    assert [line[:6] for line in body] == ["为保障冬季滑", "这条急救专线", "医院急诊科主"]


def test_files_differing_only_in_suffix_get_distinct_stable_ids(tmp_path: Path) -> None:
    assert ingest.SUFFIXES == (".txt", ".md", ".html", ".htm", ".pdf", ".docx")
    shutil.copy(DATA / "chengde.pdf", tmp_path / "a.pdf")
    shutil.copy(DATA / "xiongan.md", tmp_path / "a.md")
    (tmp_path / "a.txt").write_text("标题\n\n保定市第一中心医院与北京协和医院开展联合会诊。", "utf-8")
    shutil.copy(DATA / "langfang.html", tmp_path / "B.HTM")
    sources, skipped = ingest.read_folder(tmp_path)
    assert [(s.doc_id, s.path.name, s.format) for s in sources] == [
        ("B", "B.HTM", "html"),
        ("a.md", "a.md", "md"),
        ("a.pdf", "a.pdf", "pdf"),
        ("a", "a.txt", "txt"),
    ]
    assert skipped == []
    (tmp_path / "a.pdf.txt").write_text("另一篇\n\n正文。", "utf-8")  # its stem is the name a.pdf would take
    sources, skipped = ingest.read_folder(tmp_path)
    assert {s.doc_id: s.path.name for s in sources}["a.pdf"] == "a.pdf.txt"
    assert [(s.path.name, s.reason) for s in skipped] == [("a.pdf", "编号 a.pdf 已被 a.pdf.txt 使用，请改名")]


def test_a_link_out_of_the_folder_is_refused_for_every_format(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ("chengde.pdf", "zhangjiakou.docx", "langfang.html"):
        shutil.copy(DATA / name, outside / name)
        (folder / name).symlink_to(outside / name)
    sources, skipped = ingest.read_folder(folder)
    assert sources == [] and all("符号链接" in s.reason for s in skipped) and len(skipped) == 3


def test_locked_and_empty_documents_are_skipped_with_their_reason(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=DATA / "chengde.pdf")
    writer.encrypt("secret", algorithm="RC4-128")
    writer.write(tmp_path / "locked.pdf")
    out = io.BytesIO()
    docx.Document().save(out)
    (tmp_path / "blank.docx").write_bytes(out.getvalue())
    (tmp_path / "script.html").write_text("<html><script>var a = '正文';</script><p> </p></html>", "utf-8")
    (tmp_path / "gbk.html").write_bytes(
        "<p>保定医院</p><p>保定市第一中心医院与北京协和医院开展联合会诊。</p>".encode("gbk")
    )
    sources, skipped = ingest.read_folder(tmp_path)
    assert [(s.doc_id, s.raw) for s in sources] == [("gbk", "保定医院\n保定市第一中心医院与北京协和医院开展联合会诊。")]
    assert {s.path.name: s.reason for s in skipped} == {
        "blank.docx": "DOCX 文档里没有文字",
        "locked.pdf": "PDF 已加密，需要密码才能读取",
        "script.html": "页面里没有可见的文字",
    }


def test_a_docx_that_unpacks_past_the_limit_is_skipped_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docx_reader, "MAX_UNPACKED", 100_000)  # the fixture unpacks to some 800 KB
    shutil.copy(DATA / "zhangjiakou.docx", tmp_path / "big.docx")
    sources, skipped = ingest.read_folder(tmp_path)
    assert sources == [] and [s.path.name for s in skipped] == ["big.docx"]
    assert skipped[0].reason.startswith("DOCX 解压后超过") and "不像一篇文章" in skipped[0].reason
