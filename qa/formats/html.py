"""HTML: the visible text of a saved web page, one line per block (paragraph, heading, list item, table row).

A saved news page goes to our own cleaner (qa/clean.py) as these lines, not through trafilatura. On the
five seeds rendered as pages (`qa bench --clean`, BENCHMARKS.md) both keep the whole body and drop all
chrome when menus and related stories sit in <nav>/<aside>; when they are plain <p>, as on many
flattened or templated pages, trafilatura keeps 300-2,400 characters of chrome per page (5,503 in all,
beside 8,859 of body) and our cleaner none. The cleaner reads text, not markup, so it
does not depend on how a site tags its page.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

HIDDEN = set("script style title noscript template svg".split())  # never shown as page text
BLOCKS = set(
    "address article aside blockquote br caption dd details div dl dt figcaption figure footer form h1 h2 h3 h4 "
    "h5 h6 header hr li main nav ol p pre section summary table tr ul".split()
)
CELLS = {"td", "th"}
SPACE = re.compile(r"\s+")


class _Lines(HTMLParser):
    """Collects visible text, breaking lines at block elements; whitespace collapses except inside <pre>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.hidden = 0  # an unclosed hidden element of the head ends where the body begins
        self.hidden += tag in HIDDEN
        self.pre += tag == "pre"
        self._break(tag)

    def handle_endtag(self, tag: str) -> None:
        self.hidden = max(0, self.hidden - (tag in HIDDEN))
        self.pre = max(0, self.pre - (tag == "pre"))
        self._break(tag)

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data if self.pre else SPACE.sub(" ", data))

    def _break(self, tag: str) -> None:
        if tag in BLOCKS:
            self.parts.append("\n")
        elif tag in CELLS:
            self.parts.append(" ")


def text(page: str) -> str:
    """The page's visible lines; ValueError when it shows no text at all."""
    parser = _Lines()
    parser.feed(page)
    parser.close()
    lines = (SPACE.sub(" ", line).strip() for line in "".join(parser.parts).split("\n"))
    body = "\n".join(line for line in lines if line)
    if not body:
        raise ValueError("页面里没有可见的文字")
    return body
