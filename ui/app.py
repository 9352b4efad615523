"""The web page: a chat that answers with clickable citations, the evidence beside it, and the articles."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import html
import re
import urllib.parse
from collections.abc import Awaitable, Callable, Iterator

from qa.offline import stay_offline

stay_offline()  # before gradio is imported

import gradio as gr  # noqa: E402

import qa  # noqa: E402
from qa import ingest, llm  # noqa: E402
from ui.articles import article_tab  # noqa: E402
from ui.conversations import Conversations, text  # noqa: E402
from ui.style import CSS, HEAD  # noqa: E402

EXAMPLES = [
    "保定与京津开展了多少例远程医疗合作？",
    "北京北苑中医医院的院长是谁？",
    "北京大学怀密医学中心项目位于什么地方？",
    "北京嘉会国际化医院规划床位多少张？",
]
FREE_TRIES, FIRST_WAIT, MAX_WAIT = 3, 0.5, 30.0  # failed logins answered at once; seconds waited after them
MAX_UPLOAD = ingest.MAX_BYTES  # bytes a file may have, on the upload route too: no article is larger
READ_ONLY_UPLOAD = "1mb"  # a read-only page takes no files, but Gradio's upload route stays open: keep it small
NO_SOURCES = '<p class="empty">提问后，这里显示答案引用的原文段落。</p>'
LLM_HOW = "未配置：设置环境变量 QA_LLM_BASE_URL（如 http://localhost:11434/v1）和 QA_LLM_MODEL，再重新启动 qa serve"
METHOD_LABELS = {"混合检索（推荐）": "hybrid", "语义向量": "dense", "关键词 BM25": "bm25"}
MARKER = re.compile(r"\[(\d{1,2})\]")


def linked(text: str) -> str:
    """The answer with any markup in it shown as text, and citation markers as links to their source cards."""
    return MARKER.sub(lambda m: f"[\\[{m.group(1)}\\]](#source-{m.group(1)})", html.escape(text, quote=False))


def sources_html(answer: qa.Answer | None, index: qa.Index) -> str:
    """Cards for the cited passages (cited sentence highlighted), or the closest ones when not found."""
    if answer is None:
        return NO_SOURCES
    cards = []
    if answer.note:
        cards.append(f'<p class="related-label">{html.escape(answer.note)}</p>')
    if not answer.citations and answer.related:
        cards.append('<p class="related-label">资料中没有找到答案。以下是可能相关的段落（未用于回答）：</p>')
    hits = answer.citations or answer.related
    quotes = answer.quotes or [""] * len(hits)
    for n, (hit, quote) in enumerate(zip(hits, quotes), 1):
        article = index.articles.get(hit.doc_id)
        meta = " · ".join(x for x in (article.date, article.source, hit.doc_id) if x) if article else hit.doc_id
        label = f"[{n}]" if answer.citations else "可能相关"
        cards.append(
            f'<div class="source" id="source-{n}"><h4>{label} 《{html.escape(hit.title)}》{_opening(hit, quote)}</h4>'
            f'<div class="meta">{html.escape(meta)}</div><div class="passage">{_highlight(hit.text, quote)}</div></div>'
        )
    return "".join(cards) or '<p class="empty">没有可显示的来源。</p>'


def _opening(hit: qa.Hit, quote: str) -> str:
    """A link to the page showing the whole article, scrolled to the cited sentence (or passage)."""
    at = hit.text.find(quote) if quote else -1
    start, end = (hit.start + at, hit.start + at + len(quote)) if at >= 0 else (hit.start, hit.end)
    address = html.escape(urllib.parse.urlencode({"article": hit.doc_id, "from": start, "to": end}))
    return f'<a class="open-article" href="?{address}" target="_blank" rel="noopener">查看全文</a>'


def _highlight(text: str, quote: str) -> str:
    at = text.find(quote) if quote else -1
    if at < 0:
        return html.escape(text)
    end = at + len(quote)
    return f"{html.escape(text[:at])}<mark>{html.escape(text[at:end])}</mark>{html.escape(text[end:])}"


def build(settings: qa.Settings, read_only: bool = False) -> gr.Blocks:
    """The page over the index of `settings`, shared by every visitor and reloaded when rebuilt.

    `read_only` leaves out upload and delete: their controls and the endpoints behind them.
    """
    qa.default_index(settings)
    qa.warm_up(settings)
    with gr.Blocks(title="问答 · 新闻资料") as page:
        gr.Markdown("## 新闻资料问答\n用中文提问，答案只来自已收录的文章，并标注出处。点击答案中的 [1] 查看原文。")
        with gr.Tabs() as tabs:
            _chat_tab(settings, page)
            article_tab(settings, page, tabs, read_only)
        gr.api(_api(settings), api_name="ask", queue=False)
    return page


def _chat_tab(settings: qa.Settings, page: gr.Blocks) -> None:
    """Questions and answers, the evidence beside them, the conversations and the answering settings."""
    with gr.Tab("问答", id="chat"), gr.Row(equal_height=False):
        with gr.Column(scale=3):
            chat = gr.Chatbot(label="对话", height=520, buttons=["copy"], placeholder="请在下方输入问题")
            with gr.Row():
                box = gr.Textbox(
                    placeholder="例如：保定与京津开展了多少例远程医疗合作？",
                    show_label=False,
                    scale=5,
                    max_lines=4,
                    elem_id="question",
                )
                send = gr.Button("提问", variant="primary", scale=1, elem_id="send")
                stop = gr.Button("停止", variant="stop", scale=1, visible=False, elem_id="stop")
            gr.Examples(EXAMPLES, inputs=box, label="示例问题")
            history = Conversations(chat, NO_SOURCES, hashlib.sha256(str(settings.index).encode()).hexdigest()[:16])
        with gr.Column(scale=2):
            gr.Markdown("#### 来源")
            sources = gr.HTML(NO_SOURCES, elem_id="sources", max_height="min(640px, 75vh)")
            with gr.Accordion("设置", open=False):
                k = gr.Slider(1, 10, value=5, step=1, label="读取段落数")
                method = gr.Radio(list(METHOD_LABELS), value="混合检索（推荐）", label="检索方式")
                use_llm = _llm_switch(settings)
    history.wire(page, sources)
    answers = []
    for trigger in (send.click, box.submit):
        started = trigger(_stop_button, use_llm, stop, queue=False, api_visibility="private")
        question = [box, chat, k, method, use_llm]
        answering = started.then(
            _responder(settings), question, [box, chat, sources], concurrency_limit=2, api_visibility="private"
        )
        answers.append(answering)
        history.follow(answering.then(_stop_button, None, stop, api_visibility="private"))
    stopped = stop.click(_stop_button, None, stop, cancels=answers, api_visibility="private")
    history.follow(stopped)


def _stop_button(streaming: bool = False) -> gr.Button:
    """The stop button, shown while a language model's answer streams."""
    return gr.Button(visible=bool(streaming))


def _llm_switch(settings: qa.Settings) -> gr.Checkbox:
    """The switch to answer with the language model: naming it when one is set up, saying how when none is."""
    if llm.configured(settings):
        return gr.Checkbox(True, label="使用语言模型作答", info=f"当前模型：{settings.llm_model}", elem_id="use-llm")
    return gr.Checkbox(False, interactive=False, label="使用语言模型作答", info=LLM_HOW, elem_id="use-llm")


def _responder(settings: qa.Settings) -> Callable[..., Iterator[tuple]]:
    """The chat's answerer: the question box emptied, the answer streamed into the chat, then its sources."""

    def respond(message: str, history: list[dict], k: int, method: str, use_llm: bool) -> Iterator[tuple]:
        question = (message or "").strip()
        shown = [*history, {"role": "user", "content": html.escape(question)}] if question else history
        try:
            index = qa.default_index(settings)
            stream = qa.ask_stream(question, _plain(history), int(k), METHOD_LABELS[method], use_llm, index)
        except (qa.QueryError, qa.IndexUnavailable) as error:
            warning = {"role": "assistant", "content": f"⚠️ {html.escape(str(error))}"}
            yield "", [*shown, warning], '<p class="empty">没有来源。</p>'
            return
        text = ""
        for piece in stream:
            text += piece
            yield "", [*shown, {"role": "assistant", "content": linked(text)}], gr.skip()
        answer = stream.answer
        notes = [f"按“{html.escape(answer.query)}”检索"] if answer.query != question else []
        notes += [f"把握 {answer.confidence:.0%}"] if answer.found and answer.confidence else []
        shown_notes = f"\n\n<small>{' · '.join(notes)}</small>" if notes else ""
        final = {"role": "assistant", "content": linked(answer.text) + shown_notes}
        yield "", [*shown, final], sources_html(answer, index)

    return respond


def _api(settings: qa.Settings) -> Callable[[str], tuple[str, list[dict]]]:
    """The /ask endpoint for programs."""

    def api_ask(question: str) -> tuple[str, list[dict]]:
        """Question in; answer markdown and its sources out."""
        try:
            answer = qa.ask(question, index=qa.default_index(settings))
        except (qa.QueryError, qa.IndexUnavailable) as error:
            raise gr.Error(str(error)) from error
        hits = answer.citations or answer.related
        sources = [
            {"n": n, "doc_id": h.doc_id, "title": h.title, "text": h.text, "start": h.start, "end": h.end}
            for n, h in enumerate(hits, 1)
        ]
        return answer.text, sources

    return api_ask


def _plain(history: list[dict]) -> list[dict[str, str]]:
    """Chat history as role/content text, without the page's link markup."""
    turns = []
    for turn in history:
        words = re.sub(r"\[\\\[(\d+)\\\]\]\(#source-\d+\)", r"[\1]", html.unescape(text(turn.get("content"))))
        turns.append({"role": turn.get("role", "user"), "content": re.sub(r"<small>.*?</small>", "", words).strip()})
    return turns


def slowed_login(user: str, password: str) -> Callable[[str, str], Awaitable[bool]]:
    """The login form's check: after FREE_TRIES failures in a row each attempt waits twice as long as the last,
    one attempt at a time, so guessing is slow however many requests come at once; a success starts afresh.
    """
    failures = 0
    lock = asyncio.Lock()

    async def check(name: str, given: str) -> bool:
        nonlocal failures
        async with lock:
            if failures >= FREE_TRIES:
                await asyncio.sleep(min(MAX_WAIT, FIRST_WAIT * 2 ** (failures - FREE_TRIES)))
            name_ok = hmac.compare_digest(name.encode(), user.encode())
            ok = hmac.compare_digest(given.encode(), password.encode()) and name_ok
            failures = 0 if ok else failures + 1
            return ok

    return check


def serve(
    settings: qa.Settings,
    host: str = "127.0.0.1",
    port: int = 7860,
    auth: tuple[str, str] | None = None,
    block: bool = True,
    read_only: bool = False,
) -> gr.Blocks:
    """Serve the page; with block=False, return the running page (call .close() to stop)."""
    qa.default_index(settings).search("预热", 1)  # load the model now, not on the first visitor's question
    page = build(settings, read_only)
    page.queue(max_size=64, default_concurrency_limit=2)
    page.launch(
        server_name=host,
        server_port=port,
        auth=slowed_login(*auth) if auth else None,
        max_file_size=READ_ONLY_UPLOAD if read_only else MAX_UPLOAD,
        prevent_thread_lock=not block,
        quiet=not block,
        css=CSS,
        head=HEAD,
        footer_links=["api"],
        theme=gr.themes.Soft(font=["system-ui", "sans-serif"], font_mono=["monospace"]),
    )
    return page
