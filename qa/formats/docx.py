"""DOCX: the paragraphs of a Word document, in order, one a line."""

from __future__ import annotations

import io
import zipfile

MAX_UNPACKED = 200_000_000  # bytes: a document's text and pictures, unpacked; more is a zip bomb, not an article


def text(data: bytes) -> str:
    """The document's non-blank paragraphs; ValueError for a damaged file or one without text."""
    import docx  # python-docx, imported by the first document read: most commands read none

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            bomb = sum(member.file_size for member in package.infolist()) > MAX_UNPACKED
        paragraphs = [] if bomb else [p.text.strip() for p in docx.Document(io.BytesIO(data)).paragraphs]
    except Exception as error:  # a damaged package can fail anywhere in the zip, XML or part readers
        raise ValueError(f"不是可读的 DOCX 文档（{type(error).__name__}）") from None
    if bomb:
        raise ValueError(f"DOCX 解压后超过 {MAX_UNPACKED // 1_000_000} MB，不像一篇文章")
    body = "\n".join(p for p in paragraphs if p)
    if not body:
        raise ValueError("DOCX 文档里没有文字")
    return body
