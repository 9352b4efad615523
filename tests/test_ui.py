"""The real page in a real browser (Debian's chromium through Playwright), and its /ask API."""

import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import expect

from qa.load import free_port

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TITLE_004 = "人城医产融合共生"


@pytest.fixture(scope="module")
def url(seed_index, base_settings):
    from ui.app import serve

    port = free_port()
    page = serve(base_settings, port=port, block=False)
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


def test_articles_tab_lists_indexed_articles(url, browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(url)
    page.get_by_role("tab", name="文章").click()
    table = page.locator("#articles")
    table.get_by_text(TITLE_004).first.wait_for()
    assert "2024-02-29" in table.inner_text() and "001_3b63b2011723f789" in table.inner_text()
    page.get_by_label("查看文章全文（清洗后）").click()
    page.get_by_role("option", name="1160亩,北大新布局怀密医学中心").click()
    expect(page.locator("#article-body textarea")).to_have_value(re.compile("怀密医学中心建设启动仪式在密云区举办"))


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


def test_basic_auth_keeps_strangers_out(base_settings, seed_index) -> None:
    import urllib.error

    from qa.load import ask as ask_over_http
    from ui.app import serve

    port = free_port()
    page = serve(base_settings, port=port, auth=("reader", "secret"), block=False)
    try:
        with pytest.raises(urllib.error.HTTPError) as refused:
            ask_over_http(f"http://127.0.0.1:{port}", "仁济医院创建于哪一年？")
        assert refused.value.code in (401, 403)
    finally:
        page.close()
