"""Ingest: read every `.txt` article of a folder, reporting (never raising on) unreadable files."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENCODINGS = ("utf-8-sig", "gb18030")
MAX_BYTES = 10_000_000  # a news article is far smaller; a larger file is a dump, not an article


@dataclass(frozen=True)
class Source:
    doc_id: str
    path: Path
    raw: str


@dataclass(frozen=True)
class Skipped:
    path: Path
    reason: str


def read_folder(folder: Path) -> tuple[list[Source], list[Skipped]]:
    """All readable articles of `folder` (sorted by name) and the files skipped, with why."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"文章目录不存在：{folder}")
    sources: list[Source] = []
    skipped: list[Skipped] = []
    for path in _text_files(folder):
        try:
            sources.append(Source(path.stem, path, read_text(path)))
        except ValueError as error:
            skipped.append(Skipped(path, str(error)))
        except PermissionError:
            skipped.append(Skipped(path, "没有读取权限"))
        except OSError as error:
            skipped.append(Skipped(path, f"无法读取（{error.strerror or error}）"))
    return sources, skipped


def _text_files(folder: Path) -> list[Path]:
    """`.txt` files directly in `folder`; broken or looping symlinks are left to read_text."""
    with os.scandir(folder) as entries:
        names = sorted(e.name for e in entries if e.name.lower().endswith(".txt"))
    return [folder / name for name in names]


def read_text(path: Path) -> str:
    """Decode UTF-8 (with or without BOM), else GB18030; raise ValueError for non-text."""
    if not path.is_file():
        raise ValueError("不是普通文件（目录、失效或循环的符号链接）")
    if path.stat().st_size > MAX_BYTES:
        raise ValueError(f"文件超过 {MAX_BYTES // 1_000_000} MB，不像一篇文章")
    data = path.read_bytes()
    if not data.strip():
        raise ValueError("空文件")
    if b"\x00" in data[:4096]:
        raise ValueError("二进制文件，不是文本")
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
        raise ValueError("二进制文件，不是文本")
    raise ValueError("无法识别的编码（既不是 UTF-8 也不是 GB18030）")


def _looks_like_text(text: str) -> bool:
    control = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
    return control <= len(text) * 0.01
