"""`qa bench --clean`: the measure by which .html pages go to our cleaner rather than to trafilatura."""

from __future__ import annotations

import pytest

from qa.cli import main


def test_bench_clean_counts_chrome_left_and_body_lost_on_each_seed_page(capsys: pytest.CaptureFixture) -> None:
    assert main(["bench", "--clean"]) == 0
    rows = [line.strip("|").split(" | ") for line in capsys.readouterr().out.splitlines()[2:]]
    totals = {row[0].strip(): [int(n) for n in row[2:7]] for row in rows if "total" in row[1]}
    assert len(rows) == 12 and set(totals) == {"nav/aside", "plain p"}
    body = totals["plain p"][0]
    assert body > 8000 and totals["nav/aside"] == [body, 0, 0, 0, 0]  # both extractors exact on semantic markup
    ours_chrome, ours_lost, theirs_chrome, theirs_lost = totals["plain p"][1:]
    assert ours_chrome == ours_lost == theirs_lost == 0 and theirs_chrome > 1000
