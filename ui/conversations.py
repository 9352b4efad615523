"""Conversations kept in the visitor's own browser: restored on reload, listed to return to, begun afresh.

The browser holds them (localStorage, through gr.BrowserState), so nothing of a visitor's questions is
kept on the server, and each browser sees only its own.
"""

from __future__ import annotations

import html
import re
import uuid

import gradio as gr

KEEP, MESSAGES, TITLE_CHARS = 30, 200, 24  # conversations a browser keeps; messages each; characters of a title
EMPTY: dict = {"active": "", "list": []}


def text(content: object) -> str:
    """A chat message's content as one string; Gradio may hand it back as a list of parts."""
    if isinstance(content, list):
        return " ".join(str(part.get("text", "")) if isinstance(part, dict) else str(part) for part in content)
    return str(content or "")


def plain(messages: list[dict]) -> list[dict[str, str]]:
    """Messages as role/content pairs of strings, the form both storage and the chat accept."""
    return [{"role": str(m.get("role", "user")), "content": text(m.get("content"))} for m in messages]


def cleaned(stored: object) -> dict:
    """What the browser handed back, reduced to well-formed conversations (it may hold anything)."""
    if not isinstance(stored, dict) or not isinstance(stored.get("list"), list):
        return {"active": "", "list": []}
    kept = []
    for entry in stored["list"][:KEEP]:
        if isinstance(entry, dict) and isinstance(entry.get("id"), str) and isinstance(entry.get("messages"), list):
            messages = plain([m for m in entry["messages"][-MESSAGES:] if isinstance(m, dict)])
            sources = entry.get("sources") if isinstance(entry.get("sources"), str) else ""
            named = str(entry.get("title", ""))
            kept.append({"id": entry["id"], "title": named, "messages": messages, "sources": sources})
    active = stored.get("active") if any(c["id"] == stored.get("active") for c in kept) else ""
    return {"active": active, "list": kept}


def title(messages: list[dict]) -> str:
    """The conversation's first question, shortened: how the list names it."""
    first = next((text(m.get("content")) for m in messages if m.get("role") == "user"), "")
    first = re.sub(r"\s+", " ", html.unescape(first)).strip()
    return first if len(first) <= TITLE_CHARS else first[: TITLE_CHARS - 1] + "…"


def saved(messages: list[dict], sources: str, stored: object) -> dict:
    """`stored` with the active conversation set to `messages`, first in the list; a new one if none is active."""
    state = cleaned(stored)
    if not any(m.get("role") == "user" for m in messages):
        return state
    active = state["active"] or uuid.uuid4().hex[:12]
    entry = {"id": active, "title": title(messages), "messages": plain(messages)[-MESSAGES:], "sources": sources}
    rest = [c for c in state["list"] if c["id"] != active]
    return {"active": active, "list": [entry, *rest][:KEEP]}


def listing(state: dict) -> gr.Radio:
    choices = [(c["title"] or "（无标题）", c["id"]) for c in state["list"]]
    return gr.Radio(choices=choices, value=state["active"] or None)


class Conversations:
    """The list of past conversations and the new-conversation button, placed where it is made."""

    def __init__(self, chat: gr.Chatbot, placeholder: str, key: str) -> None:
        """`key` scrambles what the browser stores: the same for a library across restarts, another for another."""
        self.chat, self.placeholder = chat, placeholder
        self.stored = gr.BrowserState(EMPTY, storage_key="qa-conversations", secret=key)
        self.new = gr.Button("新对话", size="sm", elem_id="new-conversation")
        with gr.Accordion("历史对话", open=False, elem_id="past-conversations"):
            self.past = gr.Radio([], show_label=False, elem_id="past")

    def wire(self, page: gr.Blocks, sources: gr.HTML) -> None:
        """Restore the active conversation on load; switch on a click in the list; begin afresh on 新对话."""
        self.sources = sources

        def restore(stored: object) -> tuple:
            state = cleaned(stored)
            current = next((c for c in state["list"] if c["id"] == state["active"]), None)
            if current is None:
                return [], self.placeholder, listing(state)
            return current["messages"], current["sources"] or self.placeholder, listing(state)

        def pick(chosen: str | None, messages: list[dict], shown: str, stored: object) -> tuple:
            state = saved(messages or [], shown or "", stored)  # the one left, as it is now
            current = next((c for c in state["list"] if c["id"] == chosen), None)
            if current is None:
                return gr.skip(), gr.skip(), state, listing(state)
            state["active"] = current["id"]
            return current["messages"], current["sources"] or self.placeholder, state, listing(state)

        def begin(messages: list[dict], shown: str, stored: object) -> tuple:
            state = {**saved(messages or [], shown or "", stored), "active": ""}
            return [], self.placeholder, state, listing(state)

        shown = [self.chat, sources]
        changed = [*shown, self.stored, self.past]
        page.load(restore, self.stored, [*shown, self.past], api_visibility="private")
        self.past.input(pick, [self.past, *shown, self.stored], changed, api_visibility="private")
        self.new.click(begin, [*shown, self.stored], changed, api_visibility="private")
        self.chat.clear(begin, [*shown, self.stored], changed, api_visibility="private")

    def follow(self, event: gr.events.Dependency) -> None:
        """Save the conversation once `event` has changed it."""

        def save(messages: list[dict], sources: str, stored: object) -> tuple[dict, gr.Radio]:
            state = saved(messages or [], sources or "", stored)
            return state, listing(state)

        event.then(save, [self.chat, self.sources, self.stored], [self.stored, self.past], api_visibility="private")
