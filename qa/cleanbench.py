"""Cleaning benchmark: our cleaner against trafilatura on the seeds rendered as saved news pages.

A page is built from each seed's own lines, so the chrome is real (menus, related stories, footers),
while the hand-labelled body says, line by line, what an extractor should keep.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from . import clean
from .bench import markdown
from .formats import html

# Each seed labelled by hand (as in tests/test_clean.py): title, date, how its body's first line starts and
# its last line ends. Every line before the title or after the body is chrome; image links in the body are neither.
SEED_BODIES = {
    "000_7ccae0e84f9d4e94": (
        "北京嘉会国际化医院一期项目启动 打造京城国际化智慧医院标杆",
        "2023-12-18",
        "北京2023年12月18日 /美通社/",
        '致力于让"国际化医疗"服务于更广泛人群。',
    ),
    "001_3b63b2011723f789": (
        "北京大学首钢医院与北京北苑中医医院医联体授牌仪式举行",
        "2026-01-15",
        "2026年1月13日,北京大学首钢医院",
        "助力“健康中国”战略落地。",
    ),
    "002_efffaf8d8c8c7af9": (
        "上海公立医院牵手国际医疗机构,共同探索合作样板",
        "2025-03-29",
        "为推进上海国际医疗创新发展",
        "为上海加快建设国际医疗旅游中心城市提供坚实支撑。",
    ),
    "003_aba7b95ac7142b72": (
        "1160亩,北大新布局怀密医学中心",
        "2024-01-09",
        "摘要",
        "打造成为中国特色、世界一流的国际医学中心。",
    ),
    "004_22f6b134d5afdb68": (
        "人城医产融合共生 全力打造“世界一流生命健康之都”",
        "2024-02-29",
        "保定深入推进京津冀医疗卫生协同",
        "全市总诊疗人次增长34%。",
    ),
}


def table(seeds: Path) -> str:
    """Characters of chrome left and of body lost by our cleaner (on the page's lines) and by trafilatura,
    for each seed rendered as a news page twice: chrome in <nav>/<aside>, and chrome as plain <p>."""
    import trafilatura

    rows = []
    for markup in ("nav/aside", "plain p"):
        totals = [0] * 5
        for doc_id, (title, date, first, last) in SEED_BODIES.items():
            lines = [line.strip() for line in (seeds / f"{doc_id}.txt").read_text("utf-8").splitlines()]
            page, body, header = _news_page([line for line in lines if line], title, first, last, markup)
            ours = clean.clean(doc_id, html.text(page))
            theirs = trafilatura.bare_extraction(page, with_metadata=True, include_comments=False)
            counts = [sum(len(line) for line in body), *_score(ours.text.split("\n\n", 1)[-1], body, header)]
            counts += _score(theirs.text or "", body, header)
            totals = [t + c for t, c in zip(totals, counts)]
            found = [(a.title, a.date) == (title, date) for a in (ours, theirs)]
            rows.append([markup, doc_id, *counts, *("yes" if f else "no" for f in found)])
        rows.append([markup, "**total**", *totals, "", ""])
    header = ["chrome markup", "seed", "body chars", "ours: chrome left", "ours: body lost"]
    header += ["trafilatura: chrome left", "trafilatura: body lost", "ours: title+date", "trafilatura: title+date"]
    return markdown(header, rows)


def _news_page(lines: list[str], title: str, first: str, last: str, markup: str) -> tuple[str, set[str], set[str]]:
    """The seed's lines as an HTML news page, its body lines and its header lines (title, date, source)."""
    start = next(i for i, line in enumerate(lines) if line.startswith(first))
    end = max(i for i, line in enumerate(lines) if line.endswith(last)) + 1
    top = max(i for i in range(start) if lines[i] == title)

    def chrome(part: list[str], tag: str) -> str:
        if markup == "plain p":
            return "".join(f"<p>{escape(line)}</p>" for line in part)
        return f"<{tag}><ul>" + "".join(f'<li><a href="#">{escape(line)}</a></li>' for line in part) + f"</ul></{tag}>"

    body = "".join(
        f'<img src="{escape(line)}">' if clean.URL.search(line) else f"<p>{escape(line)}</p>"
        for line in lines[start:end]
    )
    info = "".join(f"<p>{escape(line)}</p>" for line in lines[top + 1 : start])
    page = f"<html><body>{chrome(lines[:top], 'nav')}<h1>{escape(title)}</h1>{info}<div>{body}</div>"
    page += f"{chrome(lines[end:], 'aside')}</body></html>"
    kept = {_bare(line) for line in lines[start:end] if not clean.URL.search(line)} - {_bare(title)}
    return page, kept, {_bare(line) for line in lines[top:start]}


def _score(text: str, body: set[str], header: set[str]) -> list[int]:
    """[chrome characters left, body characters lost] of an extracted body `text`, line by line."""
    lines = [_bare(line) for line in text.splitlines() if line.strip()]
    chrome = sum(len(line) for line in lines if line not in body and line not in header)
    return [chrome, sum(len(line) for line in body - set(lines))]


def _bare(line: str) -> str:
    return re.sub(r"\s+", "", line)
