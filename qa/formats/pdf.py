"""PDF: the text layer of a PDF, lines that the layout wrapped joined back into paragraphs."""

from __future__ import annotations

import io
import logging
import re

ENDS = re.compile(r"[。！？!?；;：:…”’」』）)]$")  # a line ending so closes its sentence or heading
WRAPPED = 0.8  # a line at least this share of its page's longest line ran to the margin
LATIN = re.compile(r"[A-Za-z0-9]")
logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings on damaged files would print beside our reason


def text(data: bytes) -> str:
    """The document's text; ValueError for a damaged or locked file, or a scan with no text layer."""
    from pypdf import PdfReader  # imported by the first PDF read: most commands read none

    try:
        reader = PdfReader(io.BytesIO(data))
        locked = reader.is_encrypted and not reader.decrypt("")
        pages = [] if locked else [page.extract_text() or "" for page in reader.pages]
    except Exception as error:  # a damaged file can fail anywhere in the parser
        raise ValueError(f"不是可读的 PDF（{type(error).__name__}）") from None
    if locked:
        raise ValueError("PDF 已加密，需要密码才能读取")
    if not pages:
        raise ValueError("PDF 里没有页面")
    body = "\n".join(_unwrapped(page) for page in pages if page.strip())
    if not body:
        raise ValueError("扫描版 PDF：没有文字层，需先做文字识别（OCR）")
    return body


def _unwrapped(page: str) -> str:
    """The page's lines with each line that ran to the margin, mid-sentence, joined to the next."""
    lines = [line.strip() for line in page.split("\n") if line.strip()]
    width = max(len(line) for line in lines)
    joined: list[str] = []
    wraps = False
    for line in lines:
        if wraps:
            space = " " if LATIN.match(line) and LATIN.match(joined[-1][-1]) else ""
            joined[-1] += space + line
        else:
            joined.append(line)
        wraps = len(line) >= width * WRAPPED and not ENDS.search(line)
    return "\n".join(joined)
