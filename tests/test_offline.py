"""The product opens no connection beyond loopback: `qa ask` runs under strace with no switch set by the caller."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qa.offline import SWITCHES

CONNECT = re.compile(
    r"connect\(\d+, \{sa_family=AF_INET6?, .*?(?:sin_addr=inet_addr\(\"([^\"]+)\"\)|inet_pton\(AF_INET6, \"([^\"]+)\")"
)


def outside_loopback(trace: str) -> list[str]:
    """Addresses of every IPv4/IPv6 connect in an strace log that are not loopback."""
    addresses = [v4 or v6 for v4, v6 in CONNECT.findall(trace)]
    return [a for a in addresses if not (a.startswith("127.") or a in ("::1", "::ffff:127.0.0.1"))]


def test_the_trace_parser_sees_a_connection_out() -> None:
    line = '91 connect(7, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.255.255.53")}, 16) = 0\n'
    local = '92 connect(8, {sa_family=AF_INET, sin_port=htons(7860), sin_addr=inet_addr("127.0.0.1")}, 16) = 0\n'
    assert outside_loopback(line + local) == ["10.255.255.53"]


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed (.ci/run installs it)")
def test_ask_connects_to_nothing_beyond_loopback(seed_index, base_settings, tmp_path: Path) -> None:
    env = {name: value for name, value in os.environ.items() if name not in SWITCHES}
    trace = tmp_path / "trace.txt"
    qa = Path(sys.executable).with_name("qa")
    question = ["ask", "北京北苑中医医院的院长是谁？", "--index", str(base_settings.index)]
    run = subprocess.run(
        ["strace", "-f", "-e", "trace=connect", "-o", str(trace), str(qa), *question],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert "柳娟" in run.stdout
    assert outside_loopback(trace.read_text()) == []
