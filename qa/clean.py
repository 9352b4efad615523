"""Clean: keep a scraped page's article (title, date, source, body), drop the site chrome.

The body is the densest run of prose lines between "stop" lines (相关新闻, 责任编辑, 声明 …);
the title is the headline just above the date line that precedes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
SOURCE = re.compile(r"(?:来源|本文转自|稿源|出处)\s*[:：]\s*([^\s|｜:：]{2,20})")
PROSE = re.compile(r"[。！？!?；]")
CLAUSE = re.compile(r"[，,、；;：:]")
URL = re.compile(r"^(?:https?://|www\.)\S+$|\.(?:jpe?g|png|gif|webp)$", re.IGNORECASE)
CHROME = re.compile(
    r"设为书签|加入收藏|网站地图|当前位置|登录\s*[|｜]\s*注册|分享到|扫一扫|二维码|QR Code|"
    r"责任编辑|Copyright|版权所有|ICP备|备案号|投诉|免责声明|联系我们|RSS订阅|阅读量|"
    r"^我的订阅$|^收藏$|^报错$|^打印$|^关闭窗口$|^返回顶部$|^\d+$",
    re.IGNORECASE,
)
STOP = re.compile(
    r"^(?:相关新闻|相关阅读|相关文章|相关推荐|相关链接|延伸阅读|推荐阅读|猜你喜欢|热点内容|热门关注|"
    r"热门推荐|精彩推荐|文章排行|排行榜|关键词|责任编辑|声明|免责声明|以上内容为|更多关于|友情链接|"
    r"分享到|上一篇|下一篇|文章投诉|快照生成时间|信息原文地址)"
)
OUTLET = re.compile(r"(?:网|报|社|台|刊|新闻|在线|客户端|号)$")
NAV_SEPARATORS = re.compile(r"[/|｜>»•·]")
LISTING = re.compile(r"^(?:\.\.\.|…)|\d{2}:\d{2}(?::\d{2})?[\u4e00-\u9fff]")
TAIL = 2  # short lines after the last prose line kept as a sign-off; more are a headline list
MAX_TITLE = 80


@dataclass(frozen=True)
class Article:
    """A cleaned article; `text` is the title, a date and source line, a blank line, then the body."""

    doc_id: str
    title: str
    date: str
    source: str
    text: str
    format: str = "txt"  # the file's format (ingest.FORMATS), for the page to show


def clean(doc_id: str, raw: str, format: str = "txt") -> Article:
    """Extract the article from a scraped page's text; a page with no chrome comes through whole."""
    lines = [line.strip() for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line.replace("\u3000", " ").strip() for line in lines if line.strip()]
    kinds = [_kind(line) for line in lines]
    start, end = _body_span(kinds)
    if start is None:
        return Article(doc_id, "", "", "", "", format)
    title_at, date_at = _header(lines, kinds, start)
    title = lines[title_at] if title_at is not None else ""
    date = _find_date(lines[date_at]) if date_at is not None else ""
    source = _find_source(lines, title_at, start)
    first = max(i for i in (title_at, date_at, -1) if i is not None) + 1
    body = _body_lines(lines[first:end], kinds[first:end], title)
    if not source and date_at is not None and body and body[0] == lines[date_at + 1] and _is_outlet(body[0]):
        source = body.pop(0)
    body = [line for line in body if not _is_meta(line)]
    meta = " ".join(filter(None, [date, f"来源：{source}" if source else ""]))
    head = [line for line in (title, meta) if line]
    text = "\n".join([*head, "", *body]) if head else "\n".join(body)
    return Article(doc_id, title, date, source, text, format)


def _kind(line: str) -> str:
    """One of: chrome, stop, prose, short."""
    if STOP.match(line):
        return "stop"
    if URL.search(line) or CHROME.search(line) or _is_nav(line) or LISTING.search(line):
        return "chrome"
    if (PROSE.search(line) and len(line) >= 8) or (len(line) >= 50 and len(CLAUSE.findall(line)) >= 2):
        return "prose"
    return "short"


def _is_nav(line: str) -> bool:
    """A menu: many separators between words of a few characters each, or a short bullet."""
    parts = [p.strip() for p in NAV_SEPARATORS.split(line) if p.strip()]
    if line.startswith(("•", "·")) and len(line) <= 12:
        return True
    return len(parts) >= 4 and max(len(p) for p in parts) <= 8


def _body_span(kinds: list[str]) -> tuple[int | None, int]:
    """[start, end) of the stop-free segment holding the most prose lines, from its first prose line."""
    best: tuple[int, int | None, int] = (0, None, 0)
    segment_start = 0
    for i in range(len(kinds) + 1):
        if i < len(kinds) and kinds[i] != "stop":
            continue
        prose = [j for j in range(segment_start, i) if kinds[j] == "prose"]
        if len(prose) > best[0]:
            tail = [j for j in range(prose[-1] + 1, i) if kinds[j] == "short"]
            end = i if len(tail) <= TAIL else prose[-1] + 1
            best = (len(prose), prose[0], end)
        segment_start = i + 1
    return best[1], best[2]


def _header(lines: list[str], kinds: list[str], start: int) -> tuple[int | None, int | None]:
    """Indexes of the title and date lines above the body, when they can be found."""
    window = range(start - 1, max(-1, start - 12), -1)
    date_at = next((i for i in window if kinds[i] != "prose" and _find_date(lines[i])), None)
    above = date_at if date_at is not None else start
    title_at = next(
        (i for i in range(above - 1, max(-1, above - 6), -1) if _is_title(lines[i], kinds[i])),
        None,
    )
    if title_at is None and date_at is None and start > 0 and _is_title(lines[0], kinds[0]):
        title_at = 0
    return title_at, date_at


def _is_title(line: str, kind: str) -> bool:
    return kind == "short" and 5 <= len(line) <= MAX_TITLE and not _find_date(line)


def _is_outlet(line: str) -> bool:
    """A bare outlet name on its own line, as some sites print under the date."""
    return len(line) <= 15 and bool(OUTLET.search(line)) and not CLAUSE.search(line)


def _is_meta(line: str) -> bool:
    """A source or byline line that the header already reports."""
    return bool(SOURCE.match(line)) and len(line) <= 30


def _body_lines(lines: list[str], kinds: list[str], title: str) -> list[str]:
    """Body lines without chrome, repeated titles or captions printed twice in a row."""
    kept: list[str] = []
    for line, kind in zip(lines, kinds):
        if kind in ("chrome", "stop") or line == title or (kept and kept[-1] == line):
            continue
        kept.append(line)
    return kept


def _find_date(line: str) -> str:
    match = DATE.search(line)
    if not match or len(line) > MAX_TITLE:
        return ""
    year, month, day = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _find_source(lines: list[str], title_at: int | None, start: int) -> str:
    """The outlet named above the body; "本文转自" (the original) wins over the site's own "来源"."""
    found = [m for line in lines[(title_at or 0) : start + 1] for m in SOURCE.finditer(line)]
    original = [m for m in found if m.group().startswith("本文转自")]
    return (original or found)[0].group(1) if found else ""
