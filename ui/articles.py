"""The 文章 tab: the live index's articles, searchable and one at a time, following the index as it changes,
with upload and delete unless the page is read-only."""

from __future__ import annotations

import html
import time
from pathlib import Path

import gradio as gr

import qa
from qa.clean import Article
from ui import library

HEADERS = ["标题", "日期", "来源", "格式", "段落数", "加入时间", "编号"]


def served(index: qa.Index, folder: Path) -> dict[str, Article]:
    """The articles of `index` whose file is still a plain file inside `folder`.

    The text shown is the index's own record; the folder only vetoes. An index built while a link
    out of the folder was followed holds what the link pointed to, and the page must never show that.
    """
    listed = library.files(folder)
    return {doc_id: article for doc_id, article in index.articles.items() if doc_id in listed}


def rows(index: qa.Index, articles: dict[str, Article], listed: dict[str, Path]) -> list[list[object]]:
    counts: dict[str, int] = {}
    for record in index.records:
        counts[record.doc_id] = counts.get(record.doc_id, 0) + 1
    table = []
    for a in articles.values():
        kind, added = _file(listed.get(a.doc_id))
        table.append([a.title or a.doc_id, a.date, a.source, kind, counts.get(a.doc_id, 0), added, a.doc_id])
    return table


def _file(path: Path | None) -> tuple[str, str]:
    """The format and the time the file came into the folder (its modification time)."""
    if path is None:
        return "", ""
    try:
        added = time.strftime("%Y-%m-%d %H:%M", time.localtime(path.stat().st_mtime))
    except OSError:
        added = ""
    return path.suffix.lower().lstrip("."), added


def matching(articles: dict[str, Article], query: str) -> dict[str, Article]:
    """The articles holding every word of `query` in their title, date, source, id or text."""
    words = (query or "").casefold().split()
    if not words:
        return articles
    fields = {d: f"{a.title}\n{a.date}\n{a.source}\n{d}\n{a.text}".casefold() for d, a in articles.items()}
    return {d: a for d, a in articles.items() if all(word in fields[d] for word in words)}


def article_html(article: Article | None, start: int = -1, end: int = -1) -> str:
    """The article's cleaned text; the span start:end, when within it, marked as the cited sentence."""
    if article is None:
        return '<p class="empty">选择一篇文章查看全文。</p>'
    text = article.text
    if not 0 <= start < end <= len(text):
        return f'<div class="article">{html.escape(text)}</div>'
    marked = f'<mark id="cited">{html.escape(text[start:end])}</mark>'
    return f'<div class="article">{html.escape(text[:start])}{marked}{html.escape(text[end:])}</div>'


def cited_link(request: gr.Request | None) -> tuple[str, int, int] | None:
    """The article and span named by the page's address (?article=ID&from=S&to=E), as a citation links it."""
    params = dict(getattr(request, "query_params", None) or {})
    if not params.get("article"):
        return None
    try:
        return params["article"], int(params.get("from", -1)), int(params.get("to", -1))
    except ValueError:
        return params["article"], -1, -1


def article_tab(settings: qa.Settings, page: gr.Blocks, tabs: gr.Tabs, read_only: bool) -> None:
    """The tab, refreshed when the page loads, the tab is opened, a search is typed or the library changes."""

    def show_article(doc_id: str | None) -> str:
        return article_html(served(qa.default_index(settings), settings.articles).get(doc_id or ""))

    def refresh(seen: str, chosen: str | None, query: str, request: gr.Request) -> tuple:
        index = qa.default_index(settings)
        listed = library.files(settings.articles)
        everything = {d: a for d, a in index.articles.items() if d in listed}
        articles = matching(everything, query)
        link = None if seen else cited_link(request)
        key = "\n".join([index.version, query or "", *articles])
        if key == seen and link is None:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        if link and link[0] in everything:
            doc_id, start, end = link
            body, opened = article_html(everything[doc_id], start, end), gr.Tabs(selected="articles")
            articles = {doc_id: everything[doc_id], **articles}
        else:
            doc_id = chosen if chosen in articles else next(iter(articles), None)
            body, opened = article_html(articles.get(doc_id or "")), gr.skip()
        choices = [(a.title or a.doc_id, a.doc_id) for a in articles.values()]
        return key, rows(index, articles, listed), gr.Dropdown(choices=choices, value=doc_id), body, opened

    def open_row(event: gr.SelectData) -> tuple[str, str]:
        return event.row_value[-1], show_article(event.row_value[-1])

    with gr.Tab("文章", id="articles") as tab:
        if not read_only:
            dropped, status = library.controls()
        query = gr.Textbox(placeholder="搜索标题、来源、日期或正文", show_label=False, elem_id="article-search")
        table = gr.Dataframe(headers=HEADERS, interactive=False, wrap=True, max_height=360, elem_id="articles")
        chosen = gr.Dropdown([], label="查看文章全文（清洗后）", allow_custom_value=True)  # show_article vets
        if not read_only:
            delete = gr.Button("删除这篇文章", variant="stop", size="sm", elem_id="delete-article")
        body = gr.HTML(article_html(None), max_height="70vh", elem_id="article-body")
    seen = gr.State("")
    shown = [seen, table, chosen, body, tabs]
    gr.on([page.load, tab.select], refresh, [seen, chosen, query], shown, api_visibility="private")
    query.change(refresh, [seen, chosen, query], shown, trigger_mode="always_last", api_visibility="private")
    table.select(open_row, None, [chosen, body], api_visibility="private")
    chosen.input(show_article, chosen, body, api_visibility="private")
    if not read_only:
        for change in library.wire(settings, dropped, status, delete, chosen):
            change.then(refresh, [seen, chosen, query], shown, api_visibility="private")
