"""The real page in a real browser (Debian's chromium through Playwright), and its /ask API."""

import json
import os
import re
import shutil
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import expect

from qa import Settings, versions
from qa.index import build
from qa.load import free_port

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TITLE_004 = "人城医产融合共生"
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
DESKTOP, PHONE = {"width": 1280, "height": 800}, {"width": 390, "height": 844}
NEW_ARTICLE = (
    "北京新设三家社区医院\n2024-03-01 来源：北京日报\n\n"
    "北京市卫生健康委员会宣布，今年将在朝阳、海淀和丰台新设三家社区医院，每家设床位八十张。\n"
    "这些社区医院将与三甲医院建立转诊通道。"
)
# The bottom of the nearest box around a card that scrolls it, when that box is the sources panel or inside it.
SCROLLER_BOTTOM = """card => {
  for (let box = card.parentElement; box && box !== document.body; box = box.parentElement) {
    const scrolls = ["auto", "scroll"].includes(getComputedStyle(box).overflowY) && box.scrollHeight > box.clientHeight;
    if (scrolls) return box.closest("#sources") ? box.getBoundingClientRect().bottom : null;
  }
  return null;
}"""
SECRET = "内部资料\n\n口令表：root:x:0:0:root:/root:/bin/bash，只在本机保存，不得外传。"
FORMATS = SEEDS.parent / "tests" / "data" / "formats"
# Articles to upload, each with a question only it answers and the answer: a .txt always, the other formats
# once qa.ingest reads them.
UPLOADS = [
    ("new_hospitals.txt", "北京新设三家社区医院", "北京今年新设的社区医院每家设多少张床位？", "八十张"),
    ("langfang.html", "廊坊市人民医院启用智慧药房", "廊坊市人民医院的智慧药房每小时能发出多少张处方的药品？", "1200张"),
    ("zhangjiakou.docx", "张家口市第一医院开通冬季医疗急救专线", "张家口市第一医院的急救专线有多少辆救护车？", "16辆"),
]


@pytest.fixture(scope="module")
def url(seed_index, base_settings):
    from ui.app import serve

    port = free_port()
    page = serve(base_settings, port=port, block=False, read_only=True)  # over seeds/: nobody may change them
    yield f"http://127.0.0.1:{port}"
    page.close()


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run installs Debian's chromium")
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


class CitesTen(BaseHTTPRequestHandler):
    """A chat-completions endpoint whose every answer cites passages [1] to [10]; `pieces` of them, `pause`
    seconds apart. `hung_up` is set when the reader goes away before the answer ends."""

    pieces, pause = 10, 0.0
    hung_up = threading.Event()

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        try:
            for n in range(1, self.pieces + 1):
                chunk = {"choices": [{"delta": {"content": f"第{n}段资料谈到医院建设[{min(n, 10)}]。"}}]}
                self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
                self.wfile.flush()
                time.sleep(self.pause)
            self.wfile.write(b"data: [DONE]\n\n")
        except (BrokenPipeError, ConnectionResetError):
            CitesTen.hung_up.set()

    def log_message(self, *args: object) -> None:
        pass


@dataclass
class Own:
    """A second page over its own copy of the articles and index, answering through a language model."""

    url: str
    settings: Settings
    articles: Path


@pytest.fixture(scope="module")
def own(seed_index, base_settings, tmp_path_factory):
    from ui.app import serve

    folder = tmp_path_factory.mktemp("own")
    shutil.copytree(SEEDS, folder / "articles")
    shutil.copytree(base_settings.index, folder / "index")
    (folder / "secret.txt").write_text(SECRET, encoding="utf-8")
    (folder / "articles" / "x.txt").write_text(SECRET, encoding="utf-8")
    llm = ThreadingHTTPServer(("127.0.0.1", 0), CitesTen)
    threading.Thread(target=llm.serve_forever, daemon=True).start()
    settings = replace(
        base_settings,
        articles=folder / "articles",
        index=folder / "index",
        llm_base_url=f"http://127.0.0.1:{llm.server_address[1]}/v1",
        llm_model="cites-ten",
    )
    build(settings)  # x.txt indexed as an indexer that followed a link out of the folder would have indexed it
    (folder / "articles" / "x.txt").unlink()
    (folder / "articles" / "x.txt").symlink_to(folder / "secret.txt")
    port = free_port()
    page = serve(settings, port=port, block=False)
    yield Own(f"http://127.0.0.1:{port}", settings, folder / "articles")
    page.close()
    llm.shutdown()


@pytest.fixture(scope="module")
def library(seed_index, base_settings, tmp_path_factory):
    """A page whose visitors may add and delete articles, over its own copy of the seeds and their index."""
    from ui.app import serve

    folder = tmp_path_factory.mktemp("library")
    shutil.copytree(SEEDS, folder / "articles")
    shutil.copytree(base_settings.index, folder / "index")
    settings = replace(base_settings, articles=folder / "articles", index=folder / "index")
    port = free_port()
    page = serve(settings, port=port, block=False)
    yield Own(f"http://127.0.0.1:{port}", settings, folder / "articles")
    page.close()


def _uploads(tmp_path: Path) -> list[tuple[Path, str, str, str]]:
    """The files of UPLOADS that qa.ingest reads, written or copied into `tmp_path`, with their title,
    question and answer."""
    from ui.library import suffixes

    (tmp_path / UPLOADS[0][0]).write_text(NEW_ARTICLE, encoding="utf-8")
    for name, *_ in UPLOADS[1:]:
        if (FORMATS / name).exists():
            shutil.copy(FORMATS / name, tmp_path / name)
    chosen = [(tmp_path / name, *rest) for name, *rest in UPLOADS if Path(name).suffix in suffixes()]
    return [row for row in chosen if row[0].exists()]


def _call(url: str, api: str, *data: object) -> str:
    """The data of the events of one call of the page's endpoint `api` over plain HTTP, as readable JSON."""
    endpoint = f"{url}/gradio_api/call/{api}"
    body = json.dumps({"data": list(data)}).encode("utf-8")
    request = urllib.request.Request(endpoint, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        event = json.load(response)["event_id"]
    with urllib.request.urlopen(f"{endpoint}/{event}", timeout=30) as response:
        lines = response.read().decode("utf-8").splitlines()
    return json.dumps([json.loads(line[5:]) for line in lines if line.startswith("data:")], ensure_ascii=False)


def _ask(page, question: str, expect: str) -> None:
    page.locator("#question textarea").fill(question)
    page.locator("#send").click()
    page.locator(".bot").last.get_by_text(expect).first.wait_for(timeout=30_000)


def test_chat_answers_cites_and_shows_the_evidence(url, browser, tmp_path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(url)
    _ask(page, "保定与京津开展了多少例远程医疗合作？", "3万例")
    page.locator(".bot").last.get_by_text(re.compile(r"把握 \d+%")).wait_for()  # the reader's confidence, discreetly
    citation = page.locator(".bot a[href*='#source-1']").last
    citation.wait_for()
    citation.click()
    card = page.locator("#source-1")
    assert "active" in (card.get_attribute("class") or "")
    assert TITLE_004 in card.inner_text()
    assert "开展远程医疗合作3万例" in card.locator("mark").inner_text()
    page.screenshot(path=str(tmp_path / "answered.png"), full_page=True)
    with page.expect_popup() as opened:
        card.get_by_role("link", name="查看全文").click()
    whole = opened.value
    cited = whole.locator("#article-body mark#cited")
    expect(cited).to_have_text(re.compile("^保定医疗卫生事业交出协同发展成绩单.*开展远程医疗合作3万例"))
    expect(cited).to_be_in_viewport()
    whole.screenshot(path=str(tmp_path / "whole-article.png"))
    whole.close()

    page.reload()  # the conversation is kept in the browser, and a follow-up resolves against it
    page.locator(".bot").last.get_by_text("3万例").first.wait_for()
    _ask(page, "科研合作呢？", "44项")
    assert TITLE_004 in page.locator("#source-1").inner_text()

    _ask(page, "嘉会医疗的注册资本是多少？", "资料中没有找到")
    assert "可能相关" in page.locator("#sources").inner_text()

    script = "<script>window.injected = 1</script>"
    _ask(page, f"{script}仁济医院是哪一年创建的？", "仁济医院")
    assert page.evaluate("window.injected") is None
    assert script in page.locator(".user").last.inner_text()
    outside = [u for u in requested if not u.startswith(("http://127.0.0.1", "data:", "blob:"))]
    assert not outside, f"the page fetched from outside this machine: {outside[:3]}"

    page.locator("#new-conversation").click()
    expect(page.locator(".bot")).to_have_count(0)
    _ask(page, "北京北苑中医医院的院长是谁？", "柳娟")
    page.get_by_text("历史对话").click()
    past = page.locator("#past")
    expect(past).to_contain_text("北京北苑中医医院的院长是谁？")
    past.get_by_text("保定与京津开展了多少例远程医疗合作？").click()
    page.locator(".bot").get_by_text("44项").first.wait_for()
    expect(page.locator(".bot")).to_have_count(4)


def test_articles_tab_lists_indexed_articles(url, browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(url)
    page.get_by_role("tab", name="文章").click()
    table = page.locator("#articles")
    table.get_by_text(TITLE_004).first.wait_for()
    assert "2024-02-29" in table.inner_text() and "001_3b63b2011723f789" in table.inner_text()
    expect(table).to_contain_text("txt")  # the format column
    page.get_by_label("查看文章全文（清洗后）").click()
    page.get_by_role("option", name="1160亩,北大新布局怀密医学中心").click()
    expect(page.locator("#article-body")).to_contain_text("怀密医学中心建设启动仪式在密云区举办")
    page.locator("#article-search textarea").fill("北京北苑")
    expect(table).to_contain_text("北京大学首钢医院与北京北苑中医医院医联体授牌仪式举行")
    expect(table).not_to_contain_text(TITLE_004)
    expect(page.locator("#article-body")).to_contain_text("柳娟")


def test_ask_api_answers_with_sources(url) -> None:
    from gradio_client import Client

    text, sources = Client(url, verbose=False).predict("北京北苑中医医院的院长是谁？", api_name="/ask")
    assert text.startswith("**柳娟**") and "[1]" in text
    assert sources[0]["doc_id"] == "001_3b63b2011723f789" and sources[0]["title"]


def test_ten_concurrent_api_clients(url) -> None:
    from gradio_client import Client

    questions = [
        "仁济医院是哪一年创建的？",
        "北京嘉会国际化医院规划床位多少张？",
        "保定与京津开展了多少例远程医疗合作？",
        "北京北苑中医医院的院长是谁？",
        "嘉会医疗的注册资本是多少？",
    ]

    def client(_: int) -> list[str]:
        api = Client(url, verbose=False)
        return [api.predict(q, api_name="/ask")[0] for q in questions]

    with ThreadPoolExecutor(10) as pool:
        results = list(pool.map(client, range(10)))
    assert all(len(r) == 5 and r[2].startswith("**3万例**") and r[4].startswith("资料中没有找到") for r in results)


def test_api_reports_bad_questions_clearly(url) -> None:
    from gradio_client import Client

    with pytest.raises(Exception, match="问题为空"):
        Client(url, verbose=False).predict("   ", api_name="/ask")


def test_login_keeps_strangers_out_and_slows_guessing(base_settings, seed_index) -> None:
    from qa.load import ask as ask_over_http
    from ui.app import serve

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    page = serve(base_settings, port=port, auth=("reader", "secret"), block=False)

    def login(password: str) -> tuple[int, float]:
        began = time.perf_counter()
        form = urllib.parse.urlencode({"username": "reader", "password": password}).encode()
        try:
            with urllib.request.urlopen(f"{url}/login", form, timeout=30) as response:
                return response.status, time.perf_counter() - began
        except urllib.error.HTTPError as error:
            return error.code, time.perf_counter() - began

    try:
        with pytest.raises(urllib.error.HTTPError) as refused:
            ask_over_http(url, "仁济医院创建于哪一年？")
        assert refused.value.code in (401, 403)
        with pytest.raises(urllib.error.HTTPError) as refused:
            _call(url, "delete_article", "004_22f6b134d5afdb68")  # only a logged-in visitor changes the library
        assert refused.value.code in (401, 403)
        first = [login(f"guess{n}") for n in range(3)]
        assert all(code == 400 and seconds < 1 for code, seconds in first)  # a typo or two costs nothing
        later = [login(f"guess{n}") for n in range(3, 5)]
        assert all(code == 400 for code, _ in later) and sum(s for _, s in later) >= 1.5
        assert login("secret")[0] == 200  # the right password still gets in, after the wait
        assert login("typo") == (400, pytest.approx(0, abs=1))  # and a success forgives earlier failures
    finally:
        page.close()


def _upload_status(url: str, size: int) -> int:
    """The status Gradio's upload route answers a file of `size` bytes with."""
    boundary = "qa-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="big.txt"\r\n'
            "Content-Type: text/plain\r\n\r\n"
        ).encode()
        + b"x" * size
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    request = urllib.request.Request(f"{url}/gradio_api/upload", body, headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_uploads_are_capped(url, library) -> None:
    assert _upload_status(library.url, 2_000_000) == 200  # an article of a few MB is taken
    assert _upload_status(library.url, 11_000_000) == 413  # more than qa.ingest.MAX_BYTES is not
    assert _upload_status(url, 2_000_000) == 413  # a read-only page takes no articles: its route stays small


def test_copy_gives_plain_text_and_an_empty_question_only_a_warning(url, browser) -> None:
    context = browser.new_context(viewport=DESKTOP, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(url)
    page.locator("#send").click()
    page.locator(".bot").last.get_by_text("问题为空").wait_for()
    assert page.locator(".user").count() == 0
    _ask(page, "北京北苑中医医院的院长是谁？", "柳娟")
    page.locator(".bot").last.get_by_text(re.compile(r"把握 \d+%")).wait_for()
    page.locator(".message-buttons").last.get_by_role("button").first.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("柳娟。北京北苑中医医院院长柳娟") and copied.endswith("[1]"), copied
    context.close()


def test_sources_panel_scrolls_to_its_last_card(own, browser, tmp_path) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto(own.url)
    page.get_by_text("设置").click()
    expect(page.locator("#use-llm")).to_contain_text("当前模型：cites-ten")
    passages = page.get_by_label("读取段落数").last
    passages.fill("10")
    passages.press("Enter")
    _ask(page, "北京的医院建设有哪些进展？", "第10段资料")
    cards = page.locator("#sources .source")
    expect(cards).to_have_count(10)
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        last = cards.last
        bottom = last.evaluate(SCROLLER_BOTTOM)
        assert bottom is not None, f"on a {name} screen the sources panel does not scroll"
        assert page.get_by_text("设置").bounding_box()["y"] >= bottom - 1, f"on a {name} screen 设置 covers the panel"
        last.scroll_into_view_if_needed()
        box = last.bounding_box()
        hit = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y)?.closest('.source')?.id ?? ''",
            [box["x"] + box["width"] / 2, box["y"] + box["height"] - 4],
        )
        assert hit == "source-10", f"on a {name} screen the last card cannot be reached"
        page.screenshot(path=str(tmp_path / f"sources-{name}.png"))


def test_article_browser_follows_the_live_index(own, browser, tmp_path) -> None:
    added, removed = own.articles / "005_new.txt", own.articles / "003_aba7b95ac7142b72.txt"
    page = browser.new_page(viewport=DESKTOP)
    page.goto(own.url)
    page.get_by_role("tab", name="文章").click()
    table = page.locator("#articles")
    expect(table).to_contain_text("1160亩,北大新布局怀密医学中心")
    expect(table).not_to_contain_text("内部资料")
    aside = shutil.move(removed, tmp_path / removed.name)
    added.write_text(NEW_ARTICLE, encoding="utf-8")
    try:
        build(own.settings)
        page.get_by_role("tab", name="问答").click()
        page.get_by_role("tab", name="文章").click()
        expect(table).to_contain_text("北京新设三家社区医院")
        expect(table).not_to_contain_text("1160亩,北大新布局怀密医学中心")
        table.get_by_text("北京新设三家社区医院").click()
        expect(page.locator("#article-body")).to_contain_text("每家设床位八十张")
        page.get_by_label("查看文章全文（清洗后）").click()
        expect(page.get_by_role("option", name="北京新设三家社区医院")).to_be_visible()
        expect(page.get_by_role("option", name="1160亩,北大新布局怀密医学中心")).to_have_count(0)
    finally:
        added.unlink()
        shutil.move(aside, removed)
        build(own.settings)


def test_article_api_serves_only_articles_in_the_folder(own) -> None:
    assert "怀密医学中心建设启动仪式" in _call(own.url, "show_article", "003_aba7b95ac7142b72")
    assert "root:x:0:0" not in _call(own.url, "show_article", "x")
    assert "root:x:0:0" not in _call(own.url, "show_article", "../secret")


def test_read_only_page_hides_and_refuses_changes(url, browser) -> None:
    before = sorted(p.name for p in SEEDS.iterdir())
    page = browser.new_page(viewport=DESKTOP)
    page.goto(url)
    page.get_by_text("设置").click()
    expect(page.locator("#use-llm")).to_contain_text("QA_LLM_BASE_URL")  # how to configure the absent model
    page.get_by_role("tab", name="文章").click()
    page.locator("#articles").get_by_text(TITLE_004).first.wait_for()
    expect(page.locator("#upload")).to_have_count(0)
    expect(page.locator("#delete-article")).to_have_count(0)
    for api, data in (("upload_files", []), ("delete_article", "004_22f6b134d5afdb68")):
        with pytest.raises(urllib.error.HTTPError):
            _call(url, api, data)
    assert sorted(p.name for p in SEEDS.iterdir()) == before


def test_uploaded_articles_are_answered_and_a_deleted_one_refused(library, browser, tmp_path) -> None:
    files = _uploads(tmp_path)
    page = browser.new_page(viewport=DESKTOP)
    page.goto(library.url)
    page.get_by_role("tab", name="文章").click()
    page.locator("#upload input[type=file]").set_input_files([str(path) for path, *_ in files])
    expect(page.locator("#library-status")).to_contain_text(f"已加入 {len(files)} 篇", timeout=120_000)
    table = page.locator("#articles")
    for path, title, _, _ in files:
        expect(table).to_contain_text(title)
        assert (library.articles / path.name).read_bytes() == path.read_bytes()
    page.get_by_role("tab", name="问答").click()
    for _, title, question, answer in files:
        _ask(page, question, answer)
        expect(page.locator("#source-1")).to_contain_text(title)
    page.screenshot(path=str(tmp_path / "uploaded-answered.png"))

    page.get_by_role("tab", name="文章").click()
    table.get_by_text(UPLOADS[0][1]).click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#delete-article").click()
    expect(page.locator("#library-status")).to_contain_text(f"已删除 {UPLOADS[0][0]}")
    expect(table).not_to_contain_text(UPLOADS[0][1])
    assert not (library.articles / UPLOADS[0][0]).exists()
    page.get_by_role("tab", name="问答").click()
    _ask(page, UPLOADS[0][2], "资料中没有找到")


def test_two_uploads_at_once_both_land(library, browser, tmp_path) -> None:
    from qa.service import default_index

    pages = []
    for city, beds in (("天津", "六十"), ("石家庄", "九十")):
        path = tmp_path / f"{city}.txt"
        path.write_text(NEW_ARTICLE.replace("北京", city).replace("八十", beds), encoding="utf-8")
        page = browser.new_page(viewport=DESKTOP)
        page.goto(library.url)
        page.get_by_role("tab", name="文章").click()
        pages.append((page, path))
    for page, path in pages:
        page.locator("#upload input[type=file]").set_input_files(str(path))
    for page, path in pages:
        expect(page.locator("#library-status")).to_contain_text(f"已加入 1 篇：{path.name}", timeout=120_000)
    assert {"天津", "石家庄"} <= set(default_index(library.settings).articles)
    pages[1][0].get_by_role("tab", name="问答").click()
    _ask(pages[1][0], "天津今年新设的社区医院每家设多少张床位？", "六十张")


def test_a_failed_upload_leaves_folder_and_index_as_they_were(library, tmp_path) -> None:
    from ui.library import LibraryError, add

    new = tmp_path / "during_qa_index.txt"
    new.write_text(NEW_ARTICLE, encoding="utf-8")
    before, live = sorted(os.listdir(library.articles)), versions.current_version(library.settings.index)
    with versions.locked(library.settings.index), pytest.raises(LibraryError) as refused:  # as `qa index` holds it
        add(library.settings, [new])
    assert "另一个 qa index 正在更新" in str(refused.value) and "保持不变" in str(refused.value)
    assert sorted(os.listdir(library.articles)) == before
    assert versions.current_version(library.settings.index) == live


def test_uploads_that_are_no_articles_are_refused_and_nothing_is_overwritten(library, tmp_path) -> None:
    from ui.library import add

    taken = "004_22f6b134d5afdb68.txt"
    original = (library.articles / taken).read_bytes()
    (tmp_path / taken).write_text(NEW_ARTICLE, encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    (tmp_path / "..\\escape.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    (tmp_path / "program.exe").write_bytes(b"MZ\x90\x00")
    (tmp_path / "link.txt").symlink_to(tmp_path / ".hidden.txt")
    (tmp_path / "empty.txt").write_bytes(b"")
    with open(tmp_path / "huge.txt", "wb") as handle:
        handle.truncate(10_000_001)
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)  # passes the checks, but no reader takes it
    names = [taken, ".hidden.txt", "..\\escape.txt", "program.exe", "link.txt", "empty.txt", "huge.txt", "binary.txt"]
    before = sorted(os.listdir(library.articles))
    result = add(library.settings, [tmp_path / name for name in names])
    reasons = dict(line.split("：", 1) for line in result.refused)
    assert result.names == [] and len(reasons) == len(names)
    assert "已有同名文章" in reasons[taken] and (library.articles / taken).read_bytes() == original
    assert "隐藏文件" in reasons[".hidden.txt"] and "隐藏文件" in reasons[".._escape.txt"]
    assert "不支持的文件类型" in reasons["program.exe"] and "不是普通文件" in reasons["link.txt"]
    assert "空文件" in reasons["empty.txt"] and "超过 10 MB" in reasons["huge.txt"]
    assert "二进制" in reasons["binary.txt"]
    assert sorted(os.listdir(library.articles)) == before
    assert "没有这篇文章" in _call(library.url, "delete_article", "../secret")
    assert sorted(os.listdir(library.articles)) == before


def test_stop_ends_a_streaming_answer(own, browser) -> None:
    CitesTen.pieces, CitesTen.pause = 40, 0.3
    CitesTen.hung_up.clear()
    try:
        page = browser.new_page(viewport=DESKTOP)
        page.goto(own.url)
        page.locator("#question textarea").fill("北京的医院建设有哪些进展？")
        page.locator("#send").click()
        page.locator(".bot").last.get_by_text("第2段资料").wait_for(timeout=30_000)
        page.locator("#stop").click()
        expect(page.locator("#stop")).to_be_hidden()
        assert CitesTen.hung_up.wait(10), "the language model was left talking"
        shown = page.locator(".bot").last.inner_text()
        page.wait_for_timeout(1500)
        assert page.locator(".bot").last.inner_text() == shown and "第40段" not in shown
    finally:
        CitesTen.pieces, CitesTen.pause = 10, 0.0
