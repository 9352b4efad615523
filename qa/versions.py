"""Versions of an index folder: the CURRENT pointer, publishing, pruning and restoring.

An index folder holds versions `v-*` and a `CURRENT` file naming the live one. A build writes a
new version, then replaces CURRENT atomically, so a crash or a full disk never harms the live index
and readers can keep serving during a rebuild. A lock file keeps two writers from running at once.
Only writers (a build, a restore) change the folder: a reader that finds no usable pointer is told
which versions are on disk rather than given a rebuilt one. Versions are readable by every user, so
an index built by one account can be served by another.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

KEEP_VERSIONS = 2
POINTER = "CURRENT"
NAME = re.compile(r"v-[0-9A-Za-z_-]+")
DIRECTORY_MODE, FILE_MODE = 0o755, 0o644


class IndexUnavailable(RuntimeError):
    """The index is missing, damaged or built differently; the message says what to do."""


def names(folder: Path) -> list[str]:
    """The versions saved in `folder`, oldest first (their names begin with the build time)."""
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and NAME.fullmatch(p.name))


def remedy(folder: Path) -> str:
    """What to do when `folder` has no usable live version: restore a saved one, or rebuild."""
    saved = names(folder)
    rebuild = f"qa index --index {folder} 重建"
    if not saved:
        return f"磁盘上没有保存的版本，请运行 {rebuild}"
    restore = f"qa index --restore {saved[-1]} --index {folder}"
    return f"磁盘上的版本：{'、'.join(saved)}；请运行 {restore} 恢复其中一个，或运行 {rebuild}"


def read_pointer(folder: Path) -> str:
    """The version CURRENT names, "" if it is missing or empty; IndexUnavailable if it is unreadable."""
    pointer = folder / POINTER
    try:
        raw = pointer.read_bytes()
    except FileNotFoundError:
        return ""
    except OSError as error:
        raise IndexUnavailable(f"索引指针 {pointer} 无法读取（{error.strerror or error}）：{remedy(folder)}") from None
    try:
        name = raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        name = None
    if name is None or (name and not NAME.fullmatch(name)):
        raise IndexUnavailable(f"索引指针 {pointer} 的内容不是版本名：{remedy(folder)}")
    return name


def current_version(folder: Path) -> str:
    """The name of the live version of the index in `folder`, "" if there is no usable pointer."""
    try:
        return read_pointer(folder)
    except IndexUnavailable:
        return ""


def live_version(folder: Path) -> Path:
    """The folder of the live version; IndexUnavailable says how to restore or build one."""
    if not folder.is_dir():
        raise IndexUnavailable(f"索引目录不存在：{folder}；请先运行 qa index --index {folder}")
    name = read_pointer(folder)
    if not name:
        raise IndexUnavailable(f"索引指针 {folder / POINTER} 缺失或为空：{remedy(folder)}")
    return saved(folder, name)


def saved(folder: Path, name: str) -> Path:
    """The folder of version `name`; IndexUnavailable names the versions there are if it is missing."""
    version = folder / name
    if not NAME.fullmatch(name) or not version.is_dir():
        raise IndexUnavailable(f"索引版本 {name} 缺失：{remedy(folder)}")
    return version


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the writers' lock of `folder`, creating the folder (readable by all) if need be."""
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(DIRECTORY_MODE)
    with open(folder / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexUnavailable(f"另一个 qa index 正在更新 {folder}：请等它结束后再试") from None
        yield


def publish(folder: Path, write: Callable[[Path], None]) -> str:
    """Have `write` fill a new version, make it live, prune old ones; return its name."""
    staging = Path(tempfile.mkdtemp(dir=folder, prefix=".staging-"))
    try:
        write(staging)
        _open_to_all(staging)
        version = f"v-{time.strftime('%Y%m%d-%H%M%S')}-{staging.name[-6:]}"
        staging.rename(folder / version)
        point(folder, version)
    except OSError as error:
        raise IndexUnavailable(
            f"写入索引失败（{error.strerror or error}）：原索引保持不变；请检查磁盘空间和写权限后重试"
        ) from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    prune(folder)
    return version


def _open_to_all(target: Path) -> None:
    """Flush every file to disk and make the tree readable by all users (a temporary folder is private)."""
    for path in [target, *target.rglob("*")]:
        if path.is_dir():
            path.chmod(DIRECTORY_MODE)
            continue
        path.chmod(FILE_MODE)
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())


def point(folder: Path, version: str) -> None:
    """Make `version` the live one: CURRENT is replaced atomically, so readers see the old or the new."""
    temporary = folder / f".{POINTER}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(version)
        handle.flush()
        os.fchmod(handle.fileno(), FILE_MODE)
        os.fsync(handle.fileno())
    os.replace(temporary, folder / POINTER)


def prune(folder: Path) -> None:
    """Remove old versions (keeping the newest KEEP_VERSIONS) and leftovers of crashed builds."""
    live = current_version(folder)
    stale = [name for name in names(folder) if name != live]
    for name in stale[: max(0, len(stale) - (KEEP_VERSIONS - 1))]:
        shutil.rmtree(folder / name, ignore_errors=True)
    for leftover in folder.glob(".staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)
