"""Connecting to Milvus: Milvus Lite (a local .db file, embedded) or a server, with one clear message when
neither can be reached."""

from __future__ import annotations

import logging
from pathlib import Path

from pymilvus import MilvusClient, MilvusException

from .settings import Settings
from .versions import IndexUnavailable

for _name in ("pymilvus", "milvus_lite", "grpc._server"):  # grpc._server: Milvus Lite's, inside this process
    logging.getLogger(_name).setLevel(logging.CRITICAL)  # a failure reaches the user once, as IndexUnavailable

TIMEOUT = 60.0


def location(settings: Settings) -> str:
    """QA_MILVUS_URI, or a Milvus Lite file inside the index folder."""
    return settings.milvus_uri or str(settings.index / "milvus.db")


def connect(settings: Settings, create: bool = False) -> MilvusClient:
    """A client of the Milvus at QA_MILVUS_URI; IndexUnavailable says why there is none."""
    uri = location(settings)
    local = "://" not in uri
    if local and not uri.endswith(".db"):
        raise IndexUnavailable(f"QA_MILVUS_URI {uri} 既不是 http(s):// 地址，也不是以 .db 结尾的 Milvus Lite 文件")
    if local and not create and not Path(uri).exists():
        raise IndexUnavailable(f"Milvus Lite 数据库 {uri} 不存在：请先运行 qa index --store milvus")
    if local:
        Path(uri).parent.mkdir(parents=True, exist_ok=True)
    try:
        return MilvusClient(uri=uri, token=settings.milvus_token, timeout=TIMEOUT)
    except MilvusException as error:
        why = (
            f"Milvus Lite 一次只许一个进程打开它；要同时建索引和提供服务，请运行 milvus-lite server --data-dir {uri}，"
            "并设 QA_MILVUS_URI=http://127.0.0.1:19530"
            if local
            else f"{error.message}；请检查 QA_MILVUS_URI 与 QA_MILVUS_TOKEN"
        )
        raise IndexUnavailable(f"无法连接 Milvus（{uri}）：{why}") from None
