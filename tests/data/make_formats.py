"""Write the article fixtures of tests/data/formats: one article per format, a scan and damaged files.

Run from the repository root: .venv/bin/python tests/data/make_formats.py
Each article holds facts no other article has, so a question about them can only be answered from it.
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
from PIL import Image, ImageDraw

FOLDER = Path(__file__).resolve().parent / "formats"

MARKDOWN = """# 雄安新区口腔医院正式开诊

2025-04-18 来源：雄安日报

![医院外景](images/front.jpg)

记者从雄安新区管委会获悉，**雄安新区口腔医院**于4月18日正式开诊，首批开放牙周科、正畸科和儿童口腔科等9个科室。

## 北京专家常驻

雄安新区口腔医院的院长由北京口腔医院派驻的刘建华担任，北京口腔医院每周派出12名专家来院坐诊。
医院设有牙椅86台，预计每年可接诊患者15万人次。

- 开诊首日接诊患者326人
- 预约可通过[雄安健康服务平台](https://example.org/health)完成

院方表示，将继续引进[京津地区](https://example.org)的优质口腔医疗资源。
"""

HTML = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>廊坊市人民医院启用智慧药房_廊坊新闻网</title>
<meta property="og:site_name" content="廊坊新闻网">
<style>body { font-family: sans-serif; }</style>
<script>var pageViews = "阅读 1024";</script>
</head><body>
<div class="top"><a href="/">廊坊新闻网</a> <a href="/login">登录</a> | <a href="/reg">注册</a></div>
<nav><ul><li><a href="/">首页</a></li><li><a href="/news">新闻</a></li><li><a href="/health">健康</a></li>
<li><a href="/sports">体育</a></li><li><a href="/finance">财经</a></li></ul></nav>
<div class="crumb">当前位置：首页 &gt; 健康 &gt; 正文</div>
<h1>廊坊市人民医院启用智慧药房</h1>
<div class="info">2025-06-03 09:30 来源：廊坊日报</div>
<div class="content">
<p>6月2日，廊坊市人民医院门诊楼一层的智慧药房正式启用，患者缴费后到窗口取药的等候时间由过去的15分钟缩短到3分钟以内。</p>
<p><img src="/images/pharmacy.jpg" alt="智慧药房"></p>
<p>据介绍，这套智慧药房系统由自动发药机、智能传送带和处方审核平台组成，每小时能发出1200张处方的药品，药品储量达到3.6万盒。</p>
<p>廊坊市人民医院药学部主任赵文静说，系统上线后，药师可以把更多精力放在用药咨询和处方审核上。</p>
</div>
<div class="editor">责任编辑：王晓</div>
<div class="related"><h3>相关新闻</h3><ul>
<li><a href="/a1">廊坊市中医医院新建康复楼投入使用</a></li>
<li><a href="/a2">固安县医院开通夜间门诊，方便上班族就医</a></li>
</ul></div>
<footer><p>Copyright © 2025 廊坊新闻网 版权所有</p><p>冀ICP备12345678号</p></footer>
</body></html>
"""

PDF_LINES = [
    "承德市中心医院与天津医科大学总医院共建卒中中心",
    "2025-09-12 来源：承德晚报",
    "9月10日，承德市中心医院与天津医科大学总医院签约，双方共同建设的区域卒中中心正式挂",  # wraps mid-sentence
    "牌运行。",
    "卒中中心成立以来，急性脑梗死患者从入院到溶栓的平均时间由原来的65分钟缩短到38分钟，",
    "最快的一例只用了21分钟。",
    "天津医科大学总医院神经内科主任孙宏伟介绍，专家团队每月到承德查房两次，并通过远程会诊",
    "平台指导夜间急诊。",
]

DOCX_PARAGRAPHS = [
    "张家口市第一医院开通冬季医疗急救专线",
    "2025-12-01 来源：张家口日报",
    "为保障冬季滑雪旺季游客的就医需求，张家口市第一医院开通了通往崇礼各雪场的医疗急救专线。",
    "这条急救专线配备了16辆救护车和一架医疗直升机，从雪场到医院的转运时间不超过40分钟。",
    "医院急诊科主任马国庆表示，医院还在崇礼设立了3个医疗服务站，由骨科和急诊科医生轮流值守。",
]


def pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text layer holds `lines`: the CJK font STSong-Light (UniGB-UCS2-H), with a
    ToUnicode map so that text extraction gives back the very characters."""
    chars = sorted({c for line in lines for c in line})
    shown = "".join(f"<{line.encode('utf-16-be').hex()}> Tj T*\n" for line in lines)
    content = f"BT /F1 12 Tf 16 TL 50 790 Td\n{shown}ET".encode("ascii")
    mapping = "".join(
        f"{min(100, len(chars) - i)} beginbfchar\n"
        + "".join(f"<{ord(c):04x}> <{c.encode('utf-16-be').hex()}>\n" for c in chars[i : i + 100])
        + "endbfchar\n"
        for i in range(0, len(chars), 100)
    )
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        f"1 begincodespacerange <0000> <ffff> endcodespacerange\n{mapping}"
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>"
        b" /Contents 4 0 R >>",
        _stream(content),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H"
        b" /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 8 0 R"
        b" /DW 1000 /W [1 95 500] >>",
        _stream(cmap),
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880]"
        b" /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
    ]
    return _assemble(objects)


def _stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def _assemble(objects: list[bytes]) -> bytes:
    """A PDF file of `objects` (numbered from 1, the first the catalog), with its cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def scan() -> bytes:
    """A PDF as a scanner makes it: one page that is a picture of text, with no text layer."""
    page = Image.new("1", (420, 594), 1)
    draw = ImageDraw.Draw(page)
    for y in range(60, 540, 24):
        draw.text((40, y), "Scanned page: the words are pixels, not text.", fill=0)
    out = io.BytesIO()
    page.save(out, "PDF", resolution=50)
    return out.getvalue()


def word(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    document.add_heading(paragraphs[0], level=1)
    for paragraph in paragraphs[1:]:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def main() -> None:
    FOLDER.mkdir(exist_ok=True)
    article = word(DOCX_PARAGRAPHS)
    files = {
        "xiongan.md": MARKDOWN.encode("utf-8"),
        "langfang.html": HTML.encode("utf-8"),
        "chengde.pdf": pdf(PDF_LINES),
        "zhangjiakou.docx": article,
        "scanned.pdf": scan(),
        "damaged.docx": article[: len(article) // 2],  # cut short, as by an interrupted copy
        "damaged.pdf": b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R",
    }
    for name, data in files.items():
        (FOLDER / name).write_bytes(data)


if __name__ == "__main__":
    main()
