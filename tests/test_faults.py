"""Faults: a rebuild while serving, a killed build, and the load script, on real components."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest

from qa import default_index, load, open_index
from qa.cli import main
from qa.index import build
from qa.versions import current_version

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


def test_unusable_new_pointer_leaves_the_old_index_serving(own_settings) -> None:
    serving = default_index(own_settings)
    broken = own_settings.index / "v-99991231-000000-broken"
    shutil.copytree(own_settings.index / current_version(own_settings.index), broken)
    (broken / "dense.faiss").write_bytes(b"IxFI")
    for pointer in (b"v-does-not-exist", broken.name.encode(), b"\xff\xfe\x00", b"", b"../..", b"v-a/../.."):
        (own_settings.index / "CURRENT").write_bytes(pointer)
        assert default_index(own_settings) is serving, pointer
    assert serving.search("仁济医院是哪一年创建的？", 1)


def test_server_keeps_answering_when_the_pointer_turns_unreadable(tmp_path: Path, seed_index, base_settings) -> None:
    from gradio_client import Client

    from ui.app import serve

    settings = replace(base_settings, index=tmp_path / "index")
    shutil.copytree(base_settings.index, settings.index)
    port = load.free_port()
    page = serve(settings, port=port, block=False)
    try:
        (settings.index / "CURRENT").write_bytes(b"\xff\xfe\x00")
        api = Client(f"http://127.0.0.1:{port}", verbose=False)
        assert api.predict("仁济医院是哪一年创建的？", api_name="/ask")[0].startswith("**1844年**")
    finally:
        page.close()


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


def test_load_script_runs_on_the_port_asked_with_no_errors(base_settings, seed_index, capsys) -> None:
    port = str(load.free_port())
    index = ["--index", str(base_settings.index)]
    assert main(["loadtest", "--clients", "1,3", "--questions", "3", "--port", port, *index]) == 0
    table = capsys.readouterr().out
    assert "| 1 | 3 | 0 |" in table and "| 3 | 9 | 0 |" in table


def test_a_busy_port_is_one_clear_line(base_settings, seed_index, capsys) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        for command in (["serve", "--port", port], ["loadtest", "--port", port]):
            assert main([*command, "--index", str(base_settings.index)]) == 2
            out, err = capsys.readouterr()
            assert (
                err == f"错误：端口 {port} 已被占用：请用 --port 换一个，或先停止占用它的程序\n"
                and "页面地址" not in out
            )


def test_index_skips_links_out_of_the_folder_and_repairs_damaged_utf8(tmp_path: Path, capsys, base_settings) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    damaged = "保定医院\n\n保定市第一中心医院与北京协和医院开展联合会诊。".encode().replace("会".encode(), b"\x80\xe4")
    (articles / "damaged.txt").write_bytes(damaged)
    (articles / "wide.txt").write_text("仁济医院\n\n仁济医院创建于1844年，是上海第一家西医医院。", "utf-16")
    (articles / "passwd.txt").symlink_to("/etc/passwd")
    assert main(["index", "--articles", str(articles), "--index", str(tmp_path / "index")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("2 篇文章") and lines[1:] == [
        "注意 damaged.txt：2 个字节不是有效的 UTF-8，已替换为 \ufffd",
        "跳过 passwd.txt：符号链接指向文章目录之外，不读取",
    ]
    served = open_index(tmp_path / "index", base_settings).articles
    assert sorted(served) == ["damaged", "wide"] and "1844年" in served["wide"].text
    assert served["damaged"].text.count("\ufffd") == 2 and "北京协和医院" in served["damaged"].text
