"""Ingest: read every article of a folder (see SUFFIXES), reporting (never raising on) unreadable files.

An article's id is its file's stem. Where files differ only in suffix (a.txt, a.pdf), the one whose
suffix comes first in SUFFIXES keeps the stem and each other is known by its whole name ("a.pdf"),
so an id depends only on the names in the folder, never on the order they are listed in.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .formats import docx, html, markdown, pdf

MAX_BYTES = 10_000_000  # a news article is far smaller; a larger file is a dump, not an article
MOSTLY_UTF8 = 0.9  # share of non-ASCII bytes that must be valid UTF-8; see decode
ESCAPED = re.compile(r"[\udc80-\udcff]")  # how surrogateescape holds an undecodable byte
ASCII = bytes(range(128))
FORMATS = {".txt": "txt", ".md": "md", ".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx"}
SUFFIXES = tuple(FORMATS)  # the article files accepted, by suffix (any case)
DECODED: dict[str, Callable[[str], str]] = {"txt": str, "md": markdown.text, "html": html.text}
BINARY: dict[str, Callable[[bytes], str]] = {"pdf": pdf.text, "docx": docx.text}


@dataclass(frozen=True)
class Source:
    doc_id: str
    path: Path
    raw: str
    format: str = "txt"  # a value of FORMATS


@dataclass(frozen=True)
class Skipped:
    """A file left out of the index, and why."""

    path: Path
    reason: str

    def line(self) -> str:
        return f"跳过 {self.path.name}：{self.reason}"


@dataclass(frozen=True)
class Repaired:
    """An article read with some bytes replaced, reported beside the skipped files."""

    path: Path
    replaced: int

    @property
    def reason(self) -> str:
        return f"{self.replaced} 个字节不是有效的 UTF-8，已替换为 \ufffd"

    def line(self) -> str:
        return f"注意 {self.path.name}：{self.reason}"


def read_folder(folder: Path) -> tuple[list[Source], list[Skipped | Repaired]]:
    """All readable articles of `folder` (sorted by name) and, in name order, the files skipped or repaired."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"文章目录不存在：{folder}")
    sources: list[Source] = []
    files, skipped = article_files(folder)
    for doc_id, path in sorted(files.items(), key=lambda item: item[1].name):
        try:
            text, replaced = read_article(path)
            sources.append(Source(doc_id, path, text, FORMATS[path.suffix.lower()]))
            if replaced:
                skipped.append(Repaired(path, replaced))
        except ValueError as error:
            skipped.append(Skipped(path, str(error)))
        except PermissionError:
            skipped.append(Skipped(path, "没有读取权限"))
        except OSError as error:
            skipped.append(Skipped(path, f"无法读取（{error.strerror or error}）"))
    return sources, sorted(skipped, key=lambda s: s.path.name)


def article_files(folder: Path) -> tuple[dict[str, Path], list[Skipped]]:
    """The article files directly in `folder` by id (see the module's docstring), and any whose id is taken.

    Broken or looping symlinks are listed: read_bytes refuses them with a reason.
    """
    with os.scandir(folder) as entries:
        names = [e.name for e in entries if Path(e.name).suffix.lower() in FORMATS]
    paths = sorted((folder / name for name in names), key=lambda p: (SUFFIXES.index(p.suffix.lower()), p.name))
    files: dict[str, Path] = {}
    for path in paths:
        files.setdefault(path.stem, path)
    skipped = []
    for path in paths:
        if files[path.stem] == path:
            continue
        if path.name in files:  # "a.pdf" beside "a.txt" and "a.pdf.txt"
            skipped.append(Skipped(path, f"编号 {path.name} 已被 {files[path.name].name} 使用，请改名"))
        else:
            files[path.name] = path
    return files, skipped


def read_text(path: Path) -> str:
    """The text of the article file `path` (see read_article); ValueError for what is no article."""
    return read_article(path)[0]


def read_article(path: Path) -> tuple[str, int]:
    """The text of the article file `path`, read by its format's reader, and how many bytes were replaced.

    Text formats are decoded first (see decode); ValueError for what is no article.
    """
    data = read_bytes(path)
    kind = FORMATS[path.suffix.lower()]
    if kind in BINARY:
        return BINARY[kind](data), 0
    text, replaced = decode(data)
    return DECODED[kind](text), replaced


def read_bytes(path: Path) -> bytes:
    """The bytes of the article file `path`, read only if it resolves inside the folder that lists it.

    An article is a file of the articles folder; a link leading elsewhere (to /etc/passwd, say) would
    let whoever can write into the folder have any file the indexer can read indexed and served.
    """
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(os.path.realpath(path.parent)):
        raise ValueError("符号链接指向文章目录之外，不读取")
    if not real.is_file():
        raise ValueError("不是普通文件（目录、失效或循环的符号链接）")
    if real.stat().st_size > MAX_BYTES:
        raise ValueError(f"文件超过 {MAX_BYTES // 1_000_000} MB，不像一篇文章")
    return real.read_bytes()


def decode(data: bytes) -> tuple[str, int]:
    """The text of an article's bytes and how many bytes were replaced; ValueError for non-text.

    UTF-16 needs its byte order mark (without one it cannot be told from binary). Else UTF-8 (with or
    without BOM), whole or damaged, else GB18030. UTF-8's multibyte pattern is strict: text in any
    other encoding, or noise, breaks it in most of its non-ASCII bytes, while a damaged UTF-8 article
    breaks it only where damaged. So bytes whose non-ASCII part is mostly valid UTF-8 are UTF-8, with
    the rest replaced; ASCII is left out of the share, as it reads alike in every encoding.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _checked(data.decode("utf-16")), 0
        except UnicodeDecodeError:
            raise ValueError("以 UTF-16 字节顺序标记开头，却不是有效的 UTF-16") from None
    if b"\x00" in data[:4096]:
        raise ValueError("二进制文件，不是文本")
    data = data.removeprefix(codecs.BOM_UTF8)
    escaped = data.decode("utf-8", "surrogateescape")
    replaced = len(ESCAPED.findall(escaped))
    if replaced <= len(data.translate(None, ASCII)) * (1 - MOSTLY_UTF8):
        return _checked(ESCAPED.sub("\ufffd", escaped)), replaced
    try:
        return _checked(data.decode("gb18030")), 0
    except UnicodeDecodeError:
        raise ValueError("无法识别的编码（不是 UTF-8、UTF-16 或 GB18030）") from None


def _checked(text: str) -> str:
    """`text`, unless it is blank or its control characters say it was decoded from binary data."""
    if not text.strip():
        raise ValueError("空文件")
    control = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
    if control > len(text) * 0.01:
        raise ValueError("二进制文件，不是文本")
    return text
