"""The optional LLM answerer against a real HTTP server on loopback speaking the chat-completions protocol."""

import json
import threading
import time
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from qa.llm import Citations
from qa.load import free_port
from qa.service import NO_CITATION, ask, ask_stream

QUESTION = "保定与京津开展了多少例远程医疗合作？"


class Scripted(BaseHTTPRequestHandler):
    reply: list[str] = []
    requests: list[dict] = []
    delay = 0.0
    raw = b""
    failures: list[int] = []  # statuses answered, one a request, before the scripted reply

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Scripted.requests.append({"path": self.path, "key": self.headers["Authorization"], **body})
        time.sleep(self.delay)
        if self.failures:
            self.send_response(self.failures.pop(0))
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"error": {"message": "scripted failure"}}')
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        if self.raw:
            self.wfile.write(self.raw)
            return
        for piece in self.reply:
            chunk = {"choices": [{"delta": {"content": piece}}]}
            self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
        self.wfile.write(b"data: [DONE]\n\n")

    def log_message(self, *args: object) -> None:
        pass


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the timeout test hangs up on purpose; the broken pipe is expected


@pytest.fixture(scope="module")
def server():
    httpd = QuietServer(("127.0.0.1", 0), Scripted)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()


@pytest.fixture
def llm_index(seed_index, server):
    settings = replace(seed_index.settings, llm_base_url=server, llm_model="scripted", llm_timeout=2)
    original = seed_index.settings
    seed_index.settings = settings
    yield seed_index
    seed_index.settings = original
    Scripted.delay, Scripted.raw, Scripted.failures = 0.0, b"", []


def test_slow_endpoint_times_out_to_the_extractive_answer(llm_index) -> None:
    ask(QUESTION, index=llm_index, use_llm=False)  # the reader loaded, so only the wait is timed
    Scripted.reply, Scripted.delay = ["太慢了[1]。"], 6.0
    began = time.monotonic()
    answer = ask(QUESTION, index=llm_index)
    assert time.monotonic() - began < 5.0  # the 2 s timeout, once: a slow endpoint is not asked again
    assert "语言模型服务不可用" in answer.note and answer.text.startswith("**3万例**")


def test_garbage_from_the_endpoint_falls_back(llm_index) -> None:
    Scripted.raw = b"data: {not json\n\n<html>502 Bad Gateway</html>"
    answer = ask(QUESTION, index=llm_index)
    assert "语言模型服务不可用" in answer.note and answer.text.startswith("**3万例**")


def test_cited_answer_is_streamed_with_markers_checked(llm_index) -> None:
    Scripted.reply = ["保定与京津开展远程医疗合作", "**3万例**[", "1]。另有说法", "[9]称更多[2]。"]
    stream = ask_stream(QUESTION, index=llm_index)
    text = "".join(stream)
    assert text == "保定与京津开展远程医疗合作**3万例**[1]。另有说法称更多[2]。"
    answer = stream.answer
    assert answer.found and len(answer.citations) == 2 and answer.text == text
    assert Scripted.requests[-1]["path"] == "/v1/chat/completions" and Scripted.requests[-1]["stream"] is True
    prompt = Scripted.requests[-1]["messages"][-1]["content"]
    assert "[1]" in prompt and QUESTION in prompt and answer.citations[0].text in prompt


def test_an_overloaded_endpoint_is_asked_once_more(llm_index) -> None:
    Scripted.reply, Scripted.failures = ["保定与京津开展远程医疗合作**3万例**[1]。"], [503]
    asked = len(Scripted.requests)
    answer = ask(QUESTION, index=llm_index)
    assert len(Scripted.requests) == asked + 2 and answer.note == "" and answer.text.endswith("**3万例**[1]。")


def test_a_refused_key_names_the_setting_to_check(llm_index) -> None:
    llm_index.settings = replace(llm_index.settings, llm_api_key="wrong-key")
    Scripted.reply, Scripted.failures = ["不会用到[1]。"], [401]
    asked = len(Scripted.requests)
    answer = ask(QUESTION, index=llm_index)
    assert len(Scripted.requests) == asked + 1 and Scripted.requests[-1]["key"] == "Bearer wrong-key"
    assert "HTTP 401" in answer.note and "QA_LLM_API_KEY" in answer.note and answer.text.startswith("**3万例**")


def test_answer_without_citations_falls_back_to_extraction(llm_index) -> None:
    Scripted.reply = ["大约三万例吧。"]
    answer = ask(QUESTION, index=llm_index)
    assert answer.note == NO_CITATION
    assert answer.text.startswith("**3万例**") and answer.citations


def test_model_saying_not_found_is_a_refusal(llm_index) -> None:
    Scripted.reply = ["资料中没有找到", "注册资本的信息。"]
    answer = ask("嘉会医疗的注册资本是多少？", index=llm_index)
    assert not answer.found and answer.citations == [] and answer.text == "资料中没有找到注册资本的信息。"


def test_server_down_gives_a_clear_note_and_the_extractive_answer(seed_index) -> None:
    port = free_port()  # nothing listens there
    original = seed_index.settings
    seed_index.settings = replace(original, llm_base_url=f"http://127.0.0.1:{port}/v1", llm_model="m", llm_timeout=2)
    try:
        answer = ask(QUESTION, index=seed_index)
    finally:
        seed_index.settings = original
    assert "语言模型服务不可用" in answer.note
    assert answer.found and answer.text.startswith("**3万例**")


def test_citation_renumbering_handles_split_markers() -> None:
    citations = Citations(["a", "b", "c"])
    out = citations.feed("x[") + citations.feed("3") + citations.feed("]y[1][0]") + citations.flush()
    assert out == "x[1]y[2]" and citations.cited == ["c", "a"]
