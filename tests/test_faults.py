"""Faults: a rebuild while serving, a killed build, and the load script, on real components."""

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest

from qa import default_index, load, open_index
from qa.index import build, current_version

EXTRA_ARTICLES = 400  # about 9 s of embedding on two cores, model loading aside


@pytest.fixture
def own_settings(tmp_path: Path, articles_copy: Path, base_settings):
    settings = replace(base_settings, articles=articles_copy, index=tmp_path / "index")
    build(settings)
    return settings


def test_rebuild_while_serving_is_picked_up_without_restart(own_settings) -> None:
    from gradio_client import Client

    from ui.app import serve

    port = load.free_port()
    page = serve(own_settings, port=port, block=False)
    try:
        api = Client(f"http://127.0.0.1:{port}", verbose=False)
        assert api.predict("仁济医院是哪一年创建的？", api_name="/ask")[0].startswith("**1844年**")
        article = own_settings.articles / "002_efffaf8d8c8c7af9.txt"
        article.write_text(article.read_text("utf-8").replace("1844年", "1845年"), "utf-8")

        def asker(_: int) -> list[str]:
            client = Client(f"http://127.0.0.1:{port}", verbose=False)
            return [client.predict("北京北苑中医医院的院长是谁？", api_name="/ask")[0] for _ in range(4)]

        with ThreadPoolExecutor(4) as pool:
            during = pool.map(asker, range(4))
            build(own_settings)
            answers = [a for batch in during for a in batch]
        assert len(answers) == 16 and all(a.startswith("**柳娟**") for a in answers)
        assert api.predict("仁济医院是哪一年创建的？", api_name="/ask")[0].startswith("**1845年**")
    finally:
        page.close()


def test_broken_new_version_leaves_the_old_index_serving(own_settings) -> None:
    serving = default_index(own_settings)
    (own_settings.index / "CURRENT").write_text("v-does-not-exist", "utf-8")
    assert default_index(own_settings) is serving
    assert serving.search("仁济医院是哪一年创建的？", 1)


def test_sigkill_during_index_keeps_the_previous_index(own_settings) -> None:
    before = current_version(own_settings.index)
    for i in range(EXTRA_ARTICLES):  # enough to embed that the kill lands before the new version is live
        (own_settings.articles / f"extra-{i}.txt").write_text(
            f"保定第{i}医院\n\n" + f"保定市第{i}医院与京津医院开展远程会诊和科研合作，患者就医更方便。" * 8, "utf-8"
        )
    env = {**os.environ, "QA_ARTICLES": str(own_settings.articles), "QA_INDEX": str(own_settings.index)}
    child = subprocess.Popen([sys.executable, "-m", "qa.cli", "index", "--full"], env=env)
    time.sleep(6)
    assert child.poll() is None, "the build ended before it could be killed"
    child.send_signal(signal.SIGKILL)
    child.wait()

    assert current_version(own_settings.index) == before
    survivor = open_index(own_settings.index, own_settings)
    assert "extra-0" not in survivor.articles and survivor.search("仁济医院是哪一年创建的？", 1)
    rebuilt, summary = build(own_settings)
    assert "extra-0" in rebuilt.articles and summary.embedded == EXTRA_ARTICLES
    assert not list(own_settings.index.glob(".staging-*"))


def test_load_script_runs_with_no_errors(base_settings, seed_index) -> None:
    rounds = load.run(base_settings, clients=[1, 3], per_client=3)
    assert [(r.clients, r.questions, r.errors) for r in rounds] == [(1, 3, 0), (3, 9, 0)]
    assert "| 3 | 9 | 0 |" in load.table(rounds)
