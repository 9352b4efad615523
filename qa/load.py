"""Load test: start the real page on 127.0.0.1 and drive its /ask API with concurrent clients."""

from __future__ import annotations

import socket
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

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


def run(settings: Settings, clients: list[int], per_client: int) -> list[Round]:
    """One round per entry of `clients`, each client asking `per_client` questions; the page is stopped after."""
    from gradio_client import Client

    from ui.app import serve

    port = free_port()
    page = serve(settings, port=port, block=False)
    url = f"http://127.0.0.1:{port}"
    try:
        Client(url, verbose=False).predict(QUESTIONS[0], api_name="/ask")  # warm up
        return [_round(url, n, per_client) for n in clients]
    finally:
        page.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _round(url: str, clients: int, per_client: int) -> Round:
    from gradio_client import Client

    def client(number: int) -> tuple[list[float], int]:
        api = Client(url, verbose=False)
        latencies, errors = [], 0
        for i in range(per_client):
            began = time.perf_counter()
            try:
                text, _ = api.predict(QUESTIONS[(number + i) % len(QUESTIONS)], api_name="/ask")
                errors += not text
            except Exception:  # noqa: BLE001 — every failure counts as an error, whatever its kind
                errors += 1
            latencies.append((time.perf_counter() - began) * 1000)
        return latencies, errors

    before = _rss_mb()
    began = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(client, range(clients)))
    seconds = time.perf_counter() - began
    latencies = [ms for lat, _ in results for ms in lat]
    p50, p95, p99 = np.percentile(latencies, [50, 95, 99])
    errors = sum(e for _, e in results)
    return Round(clients, len(latencies), errors, seconds, p50, p95, p99, before, _rss_mb())


def table(rounds: list[Round]) -> str:
    lines = [
        "| clients | questions | errors | questions/s | p50 ms | p95 ms | p99 ms | RSS before → after MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rounds:
        lines.append(
            f"| {r.clients} | {r.questions} | {r.errors} | {r.throughput:.1f} | {r.p50_ms:.0f} | {r.p95_ms:.0f} | "
            f"{r.p99_ms:.0f} | {r.rss_before_mb:.0f} → {r.rss_after_mb:.0f} |"
        )
    return "\n".join(lines)


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0
