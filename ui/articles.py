"""The 文章 tab: the live index's articles in a table and one at a time, following the index as it changes."""

from __future__ import annotations

import os
from pathlib import Path

import gradio as gr

import qa
from qa.clean import Article

HEADERS = ["标题", "日期", "来源", "段落数", "编号"]


def served(index: qa.Index, folder: Path) -> dict[str, Article]:
    """The articles of `index` whose file is still a plain file inside `folder`.

    The text shown is the index's own record; the folder only vetoes. An index built while a link
    out of the folder was followed holds what the link pointed to, and the page must never show that.
    """
    root = folder.resolve()
    try:
        with os.scandir(root) as entries:
            names = {Path(e.name).stem for e in entries if e.name.lower().endswith(".txt") and _inside(e.path, root)}
    except OSError:
        return {}
    return {doc_id: article for doc_id, article in index.articles.items() if doc_id in names}


def _inside(path: str, root: Path) -> bool:
    try:
        target = Path(path).resolve(strict=True)
    except (OSError, RuntimeError):  # broken or looping link
        return False
    return target.is_file() and target.is_relative_to(root)


def rows(index: qa.Index, articles: dict[str, Article]) -> list[list[object]]:
    counts: dict[str, int] = {}
    for record in index.records:
        counts[record.doc_id] = counts.get(record.doc_id, 0) + 1
    return [[a.title or a.doc_id, a.date, a.source, counts.get(a.doc_id, 0), a.doc_id] for a in articles.values()]


def article_tab(settings: qa.Settings, page: gr.Blocks) -> None:
    """The tab, refreshed whenever the page loads or the tab is opened and the articles served have changed."""

    def show_article(doc_id: str | None) -> str:
        article = served(qa.default_index(settings), settings.articles).get(doc_id or "")
        return article.text if article else ""

    def refresh(seen: str, chosen: str | None) -> tuple:
        index = qa.default_index(settings)
        articles = served(index, settings.articles)
        key = "\n".join([index.version, *articles])
        if key == seen:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        value = chosen if chosen in articles else next(iter(articles), None)
        choices = [(a.title or a.doc_id, a.doc_id) for a in articles.values()]
        body = articles[value].text if value else ""
        return key, rows(index, articles), gr.Dropdown(choices=choices, value=value), body

    def open_row(event: gr.SelectData) -> str:
        return event.row_value[-1]

    with gr.Tab("文章") as tab:
        table = gr.Dataframe(headers=HEADERS, interactive=False, wrap=True, elem_id="articles")
        chosen = gr.Dropdown([], label="查看文章全文（清洗后）", allow_custom_value=True)  # show_article vets
        body = gr.Textbox(label="正文", lines=18, interactive=False, elem_id="article-body")
    seen = gr.State("")
    gr.on([page.load, tab.select], refresh, [seen, chosen], [seen, table, chosen, body], api_visibility="private")
    table.select(open_row, None, chosen, api_visibility="private")
    chosen.change(show_article, chosen, body, api_visibility="private")
