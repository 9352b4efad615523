"""Optional LLM answerer: any OpenAI-compatible chat-completions endpoint (Ollama, vLLM, llama.cpp …).

Spoken to with the official `openai` client. Streams the model's tokens with citation markers checked
on the fly: numbers outside the given passages are dropped and the rest renumbered in order of first use.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from .retrieve import Hit
from .settings import Settings

if TYPE_CHECKING:
    import openai

SYSTEM = (
    "你是新闻资料问答助手。只根据用户给出的编号资料回答，使用简体中文，简洁准确。"
    "每一句话末尾用方括号标注依据的资料编号，例如[1]或[2]。"
    "如果资料中没有答案，只回答：资料中没有找到……的信息。不要编造资料以外的内容。"
)
MARKER = re.compile(r"\[(\d{1,3})\]")
PARTIAL = re.compile(r"\[\d{0,3}$")
RETRIES, RETRY_PAUSE = 1, 0.5  # a refused connection, 429 or 5xx is tried once more; a timeout is not


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
    """Raw text pieces from the endpoint; LLMError when it is down, slow, refuses or answers garbage."""
    import openai  # here, not above: the client takes most of a second to import and most commands never use it

    try:
        with _open(question, hits, settings) as chunks:
            for chunk in chunks:
                piece = chunk.choices[0].delta.content if chunk.choices and chunk.choices[0].delta else None
                if piece:
                    yield piece
    except openai.APITimeoutError as error:
        raise LLMError(f"语言模型服务不可用（{settings.llm_timeout:g} 秒内没有回复）") from error
    except openai.APIConnectionError as error:
        raise LLMError(f"语言模型服务不可用（无法连接 {settings.llm_base_url}）") from error
    except openai.APIStatusError as error:
        raise LLMError(f"语言模型服务不可用（HTTP {error.status_code}{_remedy(error.status_code)}）") from error
    except (openai.OpenAIError, ValueError, AttributeError) as error:  # ValueError: a chunk that is not JSON
        raise LLMError("语言模型服务不可用（回复无法解析）") from error


def _open(question: str, hits: list[Hit], settings: Settings) -> openai.Stream:
    """The streamed completion, asked again after a failure that came fast; the client itself never retries."""
    import openai

    client = _client(settings.llm_base_url, settings.llm_api_key, settings.llm_timeout)
    for attempt in range(RETRIES + 1):
        try:
            return client.chat.completions.create(
                model=settings.llm_model, messages=messages(question, hits), stream=True, temperature=0.1
            )
        except openai.APITimeoutError:
            raise  # the endpoint is slow: waiting as long again would keep the reader from the extractive answer
        except (openai.APIConnectionError, openai.RateLimitError, openai.InternalServerError):
            if attempt == RETRIES:
                raise
            time.sleep(RETRY_PAUSE * 2**attempt)
    raise AssertionError("the loop returns or raises")


@lru_cache(maxsize=4)
def _client(base_url: str, api_key: str, timeout: float) -> openai.OpenAI:
    """One client (and its connection pool) per endpoint, shared by all threads as the openai client allows."""
    import openai

    return openai.OpenAI(base_url=base_url, api_key=api_key or "none", timeout=timeout, max_retries=0)


def _remedy(status: int) -> str:
    if status in (401, 403):
        return "：请检查 QA_LLM_API_KEY"
    if status == 404:
        return "：请检查 QA_LLM_BASE_URL 和 QA_LLM_MODEL"
    return ""


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
