"""Adding and deleting articles from the page: the folder and the index change together, or neither does.

Every change runs the same incremental update as `qa index` (index.build: the writers' lock, then an
atomic swap of the live version), so visitors keep being answered from the old version until it ends.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import stat
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import gradio as gr

import qa
from qa import index as index_module
from qa import ingest

WRITING = threading.Lock()  # one change at a time in this process: a second upload waits for the first
NAMED = 10  # files named in an upload's report; more are counted
MAX_NAME_BYTES = 200  # file systems allow 255; the rest is room for the staging prefix
UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]")
PROGRESS = gr.Progress(track_tqdm=True)  # Gradio's progress bar, fed by the embedder's tqdm bar
CONFIRM = "(doc) => (!doc || window.confirm(`从文章目录和索引中删除 ${doc}？`)) ? doc : null"


class LibraryError(RuntimeError):
    """A change that was refused or undone; the folder and the index are as they were."""


@dataclass
class Added:
    """What an upload did: the articles now answerable, and a line for each file left out."""

    names: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def files(folder: Path) -> dict[str, Path]:
    """The article files of `folder` by id, those that are plain files inside it (a link out is never one)."""
    root = folder.resolve()
    try:
        listed = ingest.article_files(root)[0]
    except OSError:
        return {}
    return {doc_id: path for doc_id, path in listed.items() if _inside(path, root)}


def _inside(path: Path, root: Path) -> bool:
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):  # broken or looping link
        return False
    return target.is_file() and target.is_relative_to(root)


def suffixes() -> tuple[str, ...]:
    """The article files the index reads, by suffix."""
    return tuple(ingest.SUFFIXES)


def limits() -> str:
    """The upload rules in words, for the page."""
    return f"接受 {'、'.join(suffixes())} 文件，每个不超过 {ingest.MAX_BYTES // 1_000_000} MB"


def add(settings: qa.Settings, paths: list[Path], progress: bool = False) -> Added:
    """Copy the files `paths` into the articles folder under their own names and update the index.

    A file is refused (with its reason) rather than renamed or allowed to replace an article. Files the
    index cannot read are taken out again. LibraryError when the update fails: the new files are removed.
    """
    with WRITING:
        folder = Path(settings.articles)
        try:
            taken = {Path(name).stem.casefold() for name in os.listdir(folder)}
        except OSError as error:
            raise LibraryError(f"上传未生效：文章目录 {folder} 无法读取（{_reason(error)}）") from error
        result, chosen = Added(), []
        for path in paths:
            name, why = vetted(Path(path), taken)
            if why:
                result.refused.append(f"{name}：{why}")
                continue
            taken.add(Path(name).stem.casefold())
            chosen.append((Path(path), name))
        if not chosen:
            return result
        placed: list[Path] = []
        try:
            for source, name in chosen:
                placed.append(_place(source, folder / name))
            _, summary = index_module.build(settings, progress=progress)
        except (OSError, qa.IndexUnavailable) as error:
            for path in placed:
                path.unlink(missing_ok=True)
            raise LibraryError(f"上传未生效：{_reason(error)}；文章目录和索引保持不变") from error
        unread = {s.path.name: s.reason for s in summary.skipped if isinstance(s, ingest.Skipped)}
        for path in placed:
            if path.name in unread:
                path.unlink(missing_ok=True)  # not in the index, so the folder matches it again
                result.refused.append(f"{path.name}：{unread[path.name]}")
            else:
                result.names.append(path.name)
        qa.default_index(settings)  # load the new version now, not on the next question
        return result


def vetted(path: Path, taken: set[str]) -> tuple[str, str]:
    """The name `path` would be saved as, and why it may not be ("" when it may)."""
    name = UNSAFE.sub("_", unicodedata.normalize("NFC", path.name)).strip()
    if not name or name.startswith("."):
        return name or "（无名文件）", "隐藏文件或没有文件名，不接收"
    if Path(name).suffix.lower() not in suffixes():
        return name, f"不支持的文件类型；{limits()}"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        return name, "文件名太长，请改短后再上传"
    if Path(name).stem.casefold() in taken:
        return name, "已有同名文章；请先删除它，或把文件改名后再上传"
    try:
        info = os.lstat(path)
    except OSError:
        return name, "读取不到上传的文件，请重新上传"
    if not stat.S_ISREG(info.st_mode):
        return name, "不是普通文件（链接或目录），不接收"
    if info.st_size > ingest.MAX_BYTES:
        return name, f"超过 {ingest.MAX_BYTES // 1_000_000} MB，不像一篇文章"
    if info.st_size == 0:
        return name, "空文件"
    return name, ""


def _place(source: Path, target: Path) -> Path:
    """Copy `source` to `target`, which must not exist: written under a staging name, then linked into place,
    so a concurrent reader of the folder never sees half a file and nothing is overwritten."""
    staging = target.with_name(f".upload-{secrets.token_hex(6)}.part")
    try:
        shutil.copyfile(source, staging, follow_symlinks=False)
        os.link(staging, target)  # refuses, rather than replaces, a name taken meanwhile
    finally:
        staging.unlink(missing_ok=True)
    return target


def remove(settings: qa.Settings, doc_id: str) -> str:
    """Take the article `doc_id` out of the folder and the index; the name its file had.

    The file is set aside under a hidden name during the update and put back if the update fails.
    """
    with WRITING:
        path = files(Path(settings.articles)).get(doc_id)
        if path is None:
            raise LibraryError("删除未生效：文章目录里没有这篇文章")
        aside = path.with_name(f".delete-{secrets.token_hex(6)}.part")
        try:
            os.rename(path, aside)
        except OSError as error:
            raise LibraryError(f"删除未生效：{_reason(error)}") from error
        try:
            index_module.build(settings)
        except (OSError, qa.IndexUnavailable) as error:
            os.rename(aside, path)
            raise LibraryError(f"删除未生效：{_reason(error)}；文章目录和索引保持不变") from error
        aside.unlink()
        qa.default_index(settings)
        return path.name


def _reason(error: Exception) -> str:
    return str(error) if isinstance(error, qa.IndexUnavailable) else (error.strerror or str(error))


def report(result: Added) -> str:
    """The page's account of an upload: what was added, and each file left out with its reason."""
    lines = []
    if result.names:
        names = "、".join(result.names[:NAMED]) + ("等" if len(result.names) > NAMED else "")
        lines.append(f"已加入 {len(result.names)} 篇：{names}。现在就可以提问。")
    lines += [f"未加入 {line}" for line in result.refused]
    return "\n\n".join(lines) or "没有收到文件。"


def controls() -> tuple[gr.File, gr.Markdown]:
    """The drop zone for new articles and the line that reports on changes."""
    dropped = gr.File(
        label=f"上传文章：拖放文件到这里或点击选择（{limits()}）",
        file_count="multiple",
        file_types=list(suffixes()),
        height=120,
        elem_id="upload",
    )
    return dropped, gr.Markdown(elem_id="library-status")


def wire(settings: qa.Settings, dropped: gr.File, status: gr.Markdown, delete: gr.Button, chosen: gr.Dropdown) -> list:
    """Upload on drop and delete on click, one change at a time (the second waits in the queue)."""

    def upload(paths: list[str] | None, progress: gr.Progress = PROGRESS) -> tuple[str, None]:
        progress(0, desc="复制文件并更新索引")
        try:
            return report(add(settings, [Path(p) for p in paths or []], progress=True)), None
        except LibraryError as error:
            return str(error), None

    def drop(doc_id: str | None) -> str:
        if doc_id is None:  # the visitor said no to the confirmation
            return gr.skip()
        if not doc_id:
            return "请先在上方选择要删除的文章"
        try:
            return f"已删除 {remove(settings, doc_id)}：它已离开文章目录和索引"
        except LibraryError as error:
            return str(error)

    queued = {"concurrency_limit": 1, "concurrency_id": "library", "api_visibility": "private"}
    uploaded = dropped.upload(upload, dropped, [status, dropped], api_name="upload_files", **queued)
    deleted = delete.click(drop, chosen, status, js=CONFIRM, api_name="delete_article", **queued)
    return [uploaded, deleted]
