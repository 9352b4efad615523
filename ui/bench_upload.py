"""Time from upload to answerable: N small articles (half HTML where read, the rest TXT) added through the
page's own upload function to a copy of the seeds, then a question that only one of them answers.

    python -m ui.bench_upload [N]      (default 100)
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import qa
from qa import settings as settings_module
from qa.index import build
from ui.library import add, suffixes

CITIES = "邯郸 邢台 衡水 沧州 唐山 秦皇岛 承德 张家口 保定 廊坊".split()
KINDS = "儿童医院 妇幼保健院 中医院 口腔医院 眼科医院 康复医院 肿瘤医院 精神卫生中心 传染病医院 骨科医院".split()


def article(n: int) -> tuple[str, str, str]:
    """The text of article n, a question only it answers, and the answer."""
    city, kind, beds = CITIES[n // 10 % 10], KINDS[n % 10], 100 + 7 * n
    text = (
        f"{city}市{kind}新院区启用\n2025-05-{n % 28 + 1:02d} 来源：{city}日报\n\n"
        f"{city}市{kind}新院区于近日正式启用，新院区设有床位{beds}张，开设{n % 20 + 5}个临床科室。\n"
        f"{city}市{kind}负责人表示，新院区将承担全市{kind}的主要诊疗任务，并与京津专家开展远程会诊。"
    )
    return text, f"{city}市{kind}新院区设有多少张床位？", f"{beds}张"


def write(folder: Path, count: int) -> list[Path]:
    """`count` article files in `folder`: every other one HTML when HTML is read."""
    html = ".html" in suffixes()
    paths = []
    for n in range(count):
        text = article(n)[0]
        if html and n % 2:
            title, rest = text.split("\n", 1)
            body = "".join(f"<p>{line}</p>" for line in rest.splitlines() if line)
            path = folder / f"bench_{n:03d}.html"
            path.write_text(f"<html><head><title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>")
        else:
            path = folder / f"bench_{n:03d}.txt"
            path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(count: int = 100) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        shutil.copytree(settings_module.PROJECT / "seeds", root / "articles")
        (root / "uploads").mkdir()
        settings = replace(settings_module.load(), articles=root / "articles", index=root / "index")
        build(settings)
        qa.default_index(settings).search("预热", 1)  # the embedder loaded, as in a running page
        paths = write(root / "uploads", count)
        began = time.perf_counter()
        result = add(settings, paths)
        added = time.perf_counter() - began
        _, question, answer = article(count // 2 + 7 if count > 20 else count - 1)
        reply = qa.ask(question, index=qa.default_index(settings))
        answered = time.perf_counter() - began
        kinds = "、".join(sorted({p.suffix for p in paths}))
        print(f"{len(result.names)}/{count} 篇（{kinds}）加入：{added:.1f} 秒；到第一个回答：{answered:.1f} 秒")
        print(f"问：{question} 答：{reply.text[:40]}（{'正确' if answer in reply.text else '错误'}）")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
