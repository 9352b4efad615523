"""Load test: start the real page on 127.0.0.1 in its own process and drive its /ask API with concurrent clients.

Clients speak the page's documented HTTP API (POST /gradio_api/call/ask, then read the event
stream), so the figures are the server's, not a client library's.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from .bench import markdown
from .settings import Settings

QUESTIONS = (
    "保定与京津开展了多少例远程医疗合作？",
    "北京北苑中医医院的院长是谁？",
    "仁济医院是哪一年创建的？",
    "北京嘉会国际化医院规划床位多少张？",
    "北京大学怀密医学中心项目位于什么地方？",
    "嘉会医疗的注册资本是多少？",
    "北京大学首钢医院对医联体建设提出了哪些战略规划？",
)


@dataclass(frozen=True)
class Round:
    clients: int
    questions: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    rss_before_mb: float
    rss_after_mb: float

    @property
    def throughput(self) -> float:
        return self.questions / self.seconds


def run(
    settings: Settings,
    clients: list[int],
    per_client: int,
    start_seconds: float = 120,
    address: tuple[str, int | None] = ("127.0.0.1", None),
) -> list[Round]:
    """One round per entry of `clients`, each client asking `per_client` questions; the page is stopped after.

    The page listens on `address` (host, port); no port means any free one.
    """
    host, port = address[0], address[1] or free_port()
    if port_taken(host, port):
        raise RuntimeError(f"端口 {port} 已被占用：请用 --port 换一个，或先停止占用它的程序")
    env = {**os.environ, "QA_INDEX": str(settings.index), "QA_ARTICLES": str(settings.articles)}
    server = subprocess.Popen(
        [sys.executable, "-m", "qa.cli", "serve", "--host", host, "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
    try:
        _wait_for(url, server, start_seconds)
        ask(url, QUESTIONS[0])  # warm up
        return [_round(url, n, per_client, server.pid) for n in clients]
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for(url: str, server: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"页面进程启动失败（退出码 {server.returncode}）")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"页面在 {seconds:.0f} 秒内没有启动")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_taken(host: str, port: int) -> bool:
    """Whether another program listens on `port`: binding is the only reliable test (a connect may be refused)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def ask(url: str, question: str, timeout: float = 60) -> str:
    """The answer text from the page's /ask endpoint over plain HTTP."""
    endpoint = f"{url}/gradio_api/call/ask"
    request = urllib.request.Request(
        endpoint, json.dumps({"data": [question]}).encode("utf-8"), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        event = json.load(response)["event_id"]
    with urllib.request.urlopen(f"{endpoint}/{event}", timeout=timeout) as response:
        stream = response.read().decode("utf-8")
    if "event: complete" not in stream:
        raise RuntimeError(stream[-200:])
    data = stream.split("event: complete", 1)[1].split("data:", 1)[1].strip().split("\n", 1)[0]
    return json.loads(data)[0]


def _round(url: str, clients: int, per_client: int, pid: int) -> Round:
    def client(number: int) -> tuple[list[float], int]:
        latencies, errors = [], 0
        for i in range(per_client):
            began = time.perf_counter()
            try:
                text = ask(url, QUESTIONS[(number + i) % len(QUESTIONS)])
                errors += not text
            except Exception:  # noqa: BLE001 — every failure counts as an error, whatever its kind
                errors += 1
            latencies.append((time.perf_counter() - began) * 1000)
        return latencies, errors

    before = _rss_mb(pid)
    began = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(client, range(clients)))
    seconds = time.perf_counter() - began
    latencies = [ms for lat, _ in results for ms in lat]
    p50, p95, p99 = np.percentile(latencies, [50, 95, 99])
    errors = sum(e for _, e in results)
    return Round(clients, len(latencies), errors, seconds, p50, p95, p99, before, _rss_mb(pid))


def table(rounds: list[Round]) -> str:
    header = [
        "clients",
        "questions",
        "errors",
        "questions/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "server RSS before → after MB",
    ]
    rows = [
        [
            r.clients,
            r.questions,
            r.errors,
            f"{r.throughput:.1f}",
            f"{r.p50_ms:.0f}",
            f"{r.p95_ms:.0f}",
            f"{r.p99_ms:.0f}",
            f"{r.rss_before_mb:.0f} → {r.rss_after_mb:.0f}",
        ]
        for r in rounds
    ]
    return markdown(header, rows)


def _rss_mb(pid: int) -> float:
    """Resident memory of the page's process."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0
