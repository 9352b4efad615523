"""The web page: a chat that answers with clickable citations, the evidence beside it, and the articles."""

from __future__ import annotations

import asyncio
import hmac
import html
import re
from collections.abc import Awaitable, Callable, Iterator

from qa.offline import stay_offline

stay_offline()  # before gradio is imported

import gradio as gr  # noqa: E402

import qa  # noqa: E402
from ui.articles import article_tab  # noqa: E402

EXAMPLES = [
    "保定与京津开展了多少例远程医疗合作？",
    "北京北苑中医医院的院长是谁？",
    "北京大学怀密医学中心项目位于什么地方？",
    "北京嘉会国际化医院规划床位多少张？",
]
FREE_TRIES, FIRST_WAIT, MAX_WAIT = 3, 0.5, 30.0  # failed logins answered at once; seconds waited after them
MAX_UPLOAD = "1mb"  # the page takes no files; Gradio's upload route stays open, so keep what it accepts small
METHOD_LABELS = {"混合检索（推荐）": "hybrid", "语义向量": "dense", "关键词 BM25": "bm25"}
MARKER = re.compile(r"\[(\d{1,2})\]")
CSS = """
.source { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 10px 12px; margin-bottom: 10px; }
.source.active { border-color: var(--color-accent); box-shadow: 0 0 0 2px var(--color-accent-soft); }
.source h4 { margin: 0 0 4px; font-size: 15px; }
.source .meta { color: var(--body-text-color-subdued); font-size: 12px; margin-bottom: 6px; }
.source .passage { font-size: 14px; line-height: 1.7; white-space: pre-wrap; }
.source mark { background: #fde68a; padding: 0 2px; }
.related-label { color: var(--body-text-color-subdued); font-size: 13px; margin: 4px 0 8px; }
.empty { color: var(--body-text-color-subdued); }
.message-buttons button.copied { color: var(--color-accent); }
"""
# A click on a citation marker [n] in the chat shows source n in the panel instead of following the link.
# A message's copy button copies its text as read, "[1]" and all, not the markdown behind it nor the notes under it.
HEAD = """
<script>
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[href*='#source-']");
  if (!link) return;
  event.preventDefault();
  event.stopPropagation();
  const id = link.getAttribute("href").split("#")[1];
  document.querySelectorAll(".source.active").forEach((card) => card.classList.remove("active"));
  const card = document.getElementById(id);
  if (card) { card.classList.add("active"); card.scrollIntoView({behavior: "smooth", block: "nearest"}); }
}, true);
document.addEventListener("click", (event) => {
  const button = event.target.closest(".message-buttons button");
  const message = button?.closest(".message-buttons").previousElementSibling;
  const content = message?.querySelector(".message-content");
  if (!content) return;
  event.preventDefault();
  event.stopPropagation();
  const notes = [...content.querySelectorAll("small")].map((note) => note.innerText);
  const text = notes.reduce((all, note) => all.replace(note, ""), content.innerText).trim();
  if (navigator.clipboard) {
    navigator.clipboard.writeText(text);
  } else {
    const box = document.createElement("textarea");
    box.value = text;
    document.body.append(box);
    box.select();
    document.execCommand("copy");
    box.remove();
  }
  button.classList.add("copied");
  setTimeout(() => button.classList.remove("copied"), 1500);
}, true);
</script>
"""


def linked(text: str) -> str:
    """The answer with any markup in it shown as text, and citation markers as links to their source cards."""
    return MARKER.sub(lambda m: f"[\\[{m.group(1)}\\]](#source-{m.group(1)})", html.escape(text, quote=False))


def sources_html(answer: qa.Answer | None, index: qa.Index) -> str:
    """Cards for the cited passages (cited sentence highlighted), or the closest ones when not found."""
    if answer is None:
        return '<p class="empty">提问后，这里显示答案引用的原文段落。</p>'
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
            f'<div class="source" id="source-{n}"><h4>{label} 《{html.escape(hit.title)}》</h4>'
            f'<div class="meta">{html.escape(meta)}</div><div class="passage">{_highlight(hit.text, quote)}</div></div>'
        )
    return "".join(cards) or '<p class="empty">没有可显示的来源。</p>'


def _highlight(text: str, quote: str) -> str:
    at = text.find(quote) if quote else -1
    if at < 0:
        return html.escape(text)
    end = at + len(quote)
    return f"{html.escape(text[:at])}<mark>{html.escape(text[at:end])}</mark>{html.escape(text[end:])}"


def build(settings: qa.Settings) -> gr.Blocks:
    """The page over the index of `settings`, shared read-only by every visitor and reloaded when rebuilt."""
    index = qa.default_index(settings)
    qa.warm_up(settings)
    llm_ready = bool(settings.llm_base_url and settings.llm_model)

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

    with gr.Blocks(title="问答 · 新闻资料") as page:
        gr.Markdown("## 新闻资料问答\n用中文提问，答案只来自已收录的文章，并标注出处。点击答案中的 [1] 查看原文。")
        with gr.Tab("问答"), gr.Row(equal_height=False):
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
                gr.Examples(EXAMPLES, inputs=box, label="示例问题")
                clear = gr.Button("清空对话", size="sm")
            with gr.Column(scale=2):
                gr.Markdown("#### 来源")
                sources = gr.HTML(sources_html(None, index), elem_id="sources", max_height="min(640px, 75vh)")
                with gr.Accordion("设置", open=False):
                    k = gr.Slider(1, 10, value=5, step=1, label="读取段落数")
                    method = gr.Radio(list(METHOD_LABELS), value="混合检索（推荐）", label="检索方式")
                    use_llm = gr.Checkbox(
                        value=llm_ready,
                        interactive=llm_ready,
                        label="使用语言模型作答" + ("" if llm_ready else "（未配置）"),
                    )
        article_tab(settings, page)

        inputs = [box, chat, k, method, use_llm]
        for trigger in (send.click, box.submit):
            trigger(respond, inputs, [box, chat, sources], api_visibility="private", concurrency_limit=2)
        clear.click(lambda: ([], sources_html(None, index)), None, [chat, sources], api_visibility="private")
        gr.api(api_ask, api_name="ask", queue=False)
    return page


def _plain(history: list[dict]) -> list[dict[str, str]]:
    """Chat history as role/content text, without the page's link markup."""
    turns = []
    for turn in history:
        content = turn.get("content")
        if isinstance(content, list):  # Gradio may hand back content as parts
            content = " ".join(str(part.get("text", "")) if isinstance(part, dict) else str(part) for part in content)
        text = re.sub(r"\[\\\[(\d+)\\\]\]\(#source-\d+\)", r"[\1]", html.unescape(str(content or "")))
        turns.append({"role": turn.get("role", "user"), "content": re.sub(r"<small>.*?</small>", "", text).strip()})
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
) -> gr.Blocks:
    """Serve the page; with block=False, return the running page (call .close() to stop)."""
    qa.default_index(settings).search("预热", 1)  # load the model now, not on the first visitor's question
    page = build(settings)
    page.queue(max_size=64, default_concurrency_limit=2)
    page.launch(
        server_name=host,
        server_port=port,
        auth=slowed_login(*auth) if auth else None,
        max_file_size=MAX_UPLOAD,
        prevent_thread_lock=not block,
        quiet=not block,
        css=CSS,
        head=HEAD,
        footer_links=["api"],
        theme=gr.themes.Soft(font=["system-ui", "sans-serif"], font_mono=["monospace"]),
    )
    return page
