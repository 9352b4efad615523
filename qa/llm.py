"""Optional LLM answerer: any OpenAI-compatible chat-completions endpoint (Ollama, vLLM, llama.cpp …).

Streams the model's tokens with citation markers checked on the fly: numbers outside the given
passages are dropped and the rest renumbered in order of first use.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator

from .retrieve import Hit
from .settings import Settings

SYSTEM = (
    "你是新闻资料问答助手。只根据用户给出的编号资料回答，使用简体中文，简洁准确。"
    "每一句话末尾用方括号标注依据的资料编号，例如[1]或[2]。"
    "如果资料中没有答案，只回答：资料中没有找到……的信息。不要编造资料以外的内容。"
)
MARKER = re.compile(r"\[(\d{1,3})\]")
PARTIAL = re.compile(r"\[\d{0,3}$")


class LLMError(RuntimeError):
    """The endpoint could not be reached or answered something unusable."""


def configured(settings: Settings) -> bool:
    return bool(settings.llm_base_url and settings.llm_model)


def messages(question: str, hits: list[Hit]) -> list[dict[str, str]]:
    sources = "\n\n".join(f"[{n}] 《{h.title}》\n{h.text}" for n, h in enumerate(hits, 1))
    return [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": f"资料：\n{sources}\n\n问题：{question}"},
    ]


def stream(question: str, hits: list[Hit], settings: Settings) -> Iterator[str]:
    """Raw text pieces from the endpoint; LLMError when it is down, slow or malformed."""
    body = {"model": settings.llm_model, "messages": messages(question, hits), "stream": True, "temperature": 0.1}
    request = urllib.request.Request(
        settings.llm_base_url.rstrip("/") + "/chat/completions",
        data=json.dumps(body).encode("utf-8"),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {settings.llm_api_key or 'none'}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.llm_timeout) as response:
            for raw in response:
                line = raw.decode("utf-8", "replace").strip()
                if not line.startswith("data:"):
                    continue
                data = line[5:].strip()
                if data == "[DONE]":
                    return
                choice = (json.loads(data).get("choices") or [{}])[0]
                piece = (choice.get("delta") or {}).get("content") or ""
                if piece:
                    yield piece
    except (urllib.error.URLError, TimeoutError, OSError, json.JSONDecodeError, AttributeError, IndexError) as error:
        raise LLMError(f"语言模型服务不可用（{getattr(error, 'reason', error)}）") from error


class Citations:
    """Rewrites [n] markers of a token stream: out-of-range ones dropped, the rest renumbered."""

    def __init__(self, hits: list[Hit]) -> None:
        self.hits = hits
        self.used: list[int] = []
        self._pending = ""

    def feed(self, piece: str) -> str:
        text = self._pending + piece
        partial = PARTIAL.search(text)
        self._pending = partial.group() if partial else ""
        text = text[: partial.start()] if partial else text
        return MARKER.sub(self._renumber, text)

    def flush(self) -> str:
        text, self._pending = self._pending, ""
        return MARKER.sub(self._renumber, text)

    def _renumber(self, match: re.Match[str]) -> str:
        n = int(match.group(1))
        if not 1 <= n <= len(self.hits):
            return ""
        if n not in self.used:
            self.used.append(n)
        return f"[{self.used.index(n) + 1}]"

    @property
    def cited(self) -> list[Hit]:
        return [self.hits[n - 1] for n in self.used]
