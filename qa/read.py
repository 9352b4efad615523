"""Read: a trained span reader finds the short answer to a question inside passages, or says it is not there.

m3e-small (the embedder's model) with a start/end head, trained by `qa train-reader` on CMRC2018 and
DRCD. Position 0 ([CLS]) is the "no answer in this window" choice. Only the layers training changed
are shipped (fp16 safetensors); the frozen word embeddings come from the installed m3e-small. Like the
embedder it runs on OpenVINO, converted once and cached.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .embed import MODEL_NAME, converted, model_path

BASE_MODEL = MODEL_NAME
MAX_TOKENS = 256  # question + passage window; a 150–400 character passage mostly fits in one or two
MAX_QUESTION = 64
OVERLAP = 96  # tokens shared by consecutive windows of a long passage
MAX_ANSWER = 48  # tokens
BATCH = 8
SHIPPED = Path(__file__).resolve().parent / "models" / "reader"
WEIGHTS = "reader.safetensors"
CARD = "card.json"
FROZEN = "bert.embeddings.word_embeddings.weight"

Runner = Callable[[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


@dataclass
class Window:
    """One [CLS] question [SEP] passage-part [SEP] sequence; start/end are the training targets (0: none)."""

    ids: list[int]
    passage_from: int  # position of the first passage token
    offsets: list[tuple[int, int]] = field(repr=False)  # character offsets of the passage tokens
    start: int = 0
    end: int = 0
    passage: int = 0  # which passage of a batch it came from


@dataclass(frozen=True)
class Span:
    """The reader's best answer in one passage: characters [start, end) and how sure it is."""

    passage: int
    start: int
    end: int
    score: float  # start + end logits of the span
    null: float  # start + end logits of "no answer" in the same window

    @property
    def margin(self) -> float:
        return self.score - self.null

    @property
    def confidence(self) -> float:
        """How much likelier the span is than "no answer" in its window, as a probability (0–1)."""
        return float(1 / (1 + np.exp(-np.clip(self.margin, -50, 50))))


@functools.lru_cache(maxsize=1)
def tokenizer():
    import tokenizers

    loaded = tokenizers.Tokenizer.from_file(str(model_path() / "tokenizer.json"))
    loaded.no_padding()
    loaded.no_truncation()
    return loaded


def windows(tok, question: str, passage: str, answer_start: int | None = None, answer: str = "") -> list[Window]:
    """The windows a passage is read in, each with the question; targets set when the answer is given."""
    vocab = {name: tok.token_to_id(name) for name in ("[CLS]", "[SEP]", "[UNK]")}
    asked = tok.encode(question, add_special_tokens=False).ids[:MAX_QUESTION] or [vocab["[UNK]"]]
    encoded = tok.encode(passage or " ", add_special_tokens=False)
    room = MAX_TOKENS - len(asked) - 3
    step = room - OVERLAP
    head = [vocab["[CLS]"], *asked, vocab["[SEP]"]]
    result = []
    for begin in range(0, max(1, len(encoded.ids) - OVERLAP), step):
        ids = encoded.ids[begin : begin + room]
        window = Window([*head, *ids, vocab["[SEP]"]], len(head), encoded.offsets[begin : begin + room])
        if answer_start is not None:
            _target(window, answer_start, answer_start + len(answer))
        result.append(window)
        if begin + room >= len(encoded.ids):
            break
    return result


def _target(window: Window, first: int, last: int) -> None:
    """Point start/end at the tokens that cover characters [first, last), if the window holds them all."""
    starts = [i for i, (a, b) in enumerate(window.offsets) if a <= first < b or (a >= first and b <= last)]
    ends = [i for i, (a, b) in enumerate(window.offsets) if a < last <= b or (a >= first and b <= last)]
    covered = window.offsets and window.offsets[0][0] <= first and window.offsets[-1][1] >= last
    if starts and ends and covered:
        window.start, window.end = window.passage_from + starts[0], window.passage_from + ends[-1]


def collate(batch: list[Window]):
    """Padded torch tensors of a batch of windows, and its start/end targets."""
    import torch

    ids, mask, types = _arrays(batch)
    inputs = {"input_ids": torch.from_numpy(ids), "attention_mask": torch.from_numpy(mask)}
    inputs["token_type_ids"] = torch.from_numpy(types)
    return inputs, torch.tensor([w.start for w in batch]), torch.tensor([w.end for w in batch])


def _arrays(batch: list[Window]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    width = max(len(w.ids) for w in batch)
    ids = np.zeros((len(batch), width), dtype=np.int64)
    mask, types = np.zeros_like(ids), np.zeros_like(ids)
    for row, w in enumerate(batch):
        ids[row, : len(w.ids)] = w.ids
        mask[row, : len(w.ids)] = 1
        types[row, w.passage_from : len(w.ids)] = 1
    return ids, mask, types


def trainable_model():
    """m3e-small with a fresh span head; type-1 embedding copied from type 0; word embeddings frozen."""
    import torch
    from transformers import BertForQuestionAnswering
    from transformers.utils import logging as transformers_logging

    transformers_logging.set_verbosity_error()
    model = BertForQuestionAnswering.from_pretrained(str(model_path()))
    with torch.no_grad():
        types = model.bert.embeddings.token_type_embeddings.weight
        types[1:] = types[0]
    model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    return model


def trained_state(model) -> dict:
    """The weights training changes: everything but the frozen word embeddings."""
    return {k: v.detach().clone() for k, v in model.state_dict().items() if k != FROZEN}


def save(model, out: Path, card: dict) -> None:
    """The shipped form: fp16 safetensors of the trained layers, and the model card (written atomically)."""
    from safetensors.torch import save_file

    out.mkdir(parents=True, exist_ok=True)
    state = {k: v.half().contiguous() for k, v in trained_state(model).items()}
    save_file(state, str(out / (WEIGHTS + ".tmp")))
    os.chmod(out / (WEIGHTS + ".tmp"), 0o644)
    os.replace(out / (WEIGHTS + ".tmp"), out / WEIGHTS)
    (out / (CARD + ".tmp")).write_text(json.dumps(card, ensure_ascii=False, indent=1), "utf-8")
    os.replace(out / (CARD + ".tmp"), out / CARD)


def load_torch(folder: Path = SHIPPED):
    """The shipped reader as a float32 torch model, in eval mode."""
    from safetensors.torch import load_file

    weights = folder / WEIGHTS
    if not weights.is_file():
        raise RuntimeError(f"找不到阅读模型 {weights}：请运行 qa train-reader")
    model = trainable_model()
    state = {k: v.float() for k, v in load_file(str(weights)).items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    if unexpected or set(missing) - {FROZEN}:
        raise RuntimeError(f"阅读模型 {weights} 与 {BASE_MODEL} 不匹配：请重新运行 qa train-reader")
    return model.eval()


def card(folder: Path = SHIPPED) -> dict:
    """The model card of the shipped reader ({} when there is none)."""
    path = folder / CARD
    return json.loads(path.read_text("utf-8")) if path.is_file() else {}


class Reader:
    """Finds the best span of each passage for a question; thread-safe, one instance per process."""

    def __init__(self, run: Runner) -> None:
        self._run = run

    @classmethod
    def from_torch(cls, model) -> Reader:
        import torch

        def run(ids: np.ndarray, mask: np.ndarray, types: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            with torch.inference_mode():
                out = model(*(torch.from_numpy(a) for a in (ids, mask, types)))
            return out.start_logits.float().numpy(), out.end_logits.float().numpy()

        return cls(run)

    def read(self, question: str, passages: list[str]) -> list[Span]:
        """The best span of each passage (in passage order), taken from its best window."""
        tok = tokenizer()
        batch = []
        for number, passage in enumerate(passages):
            for window in windows(tok, question, passage):
                window.passage = number
                batch.append(window)
        best: dict[int, Span] = {}
        for first in range(0, len(batch), BATCH):
            part = batch[first : first + BATCH]
            starts, ends = self._run(*_arrays(part))
            for window, s, e in zip(part, starts, ends):
                span = _best_span(window, s[: len(window.ids)], e[: len(window.ids)])
                if span and (window.passage not in best or span.score > best[window.passage].score):
                    best[window.passage] = span
        return [best[n] for n in sorted(best)]


def _best_span(window: Window, start: np.ndarray, end: np.ndarray) -> Span | None:
    """Highest-scoring start ≤ end inside the passage part of a window, at most MAX_ANSWER tokens long."""
    first, last = window.passage_from, len(window.ids) - 1  # the final [SEP] is excluded
    if last <= first:
        return None
    pair = start[first:last, None] + end[None, first:last]
    size = last - first
    allowed = np.triu(np.ones((size, size), dtype=bool)) & ~np.triu(np.ones((size, size), dtype=bool), MAX_ANSWER)
    pair = np.where(allowed, pair, -np.inf)
    s, e = np.unravel_index(int(np.argmax(pair)), pair.shape)
    start_at, end_at = window.offsets[s][0], window.offsets[e][1]
    return Span(window.passage, start_at, end_at, float(pair[s, e]), float(start[0] + end[0]))


_loading = threading.Lock()


def reader(backend: str = "openvino", cache: Path | None = None, folder: Path = SHIPPED) -> Reader:
    """The reader in `folder`, shared by the whole process (loaded once, even when asked from many threads)."""
    with _loading:
        return _reader(backend, cache, Path(folder))


@functools.lru_cache(maxsize=2)
def _reader(backend: str, cache: Path | None, folder: Path) -> Reader:
    if backend != "openvino":
        return Reader.from_torch(load_torch(folder))
    return Reader(_openvino(cache or Path(tempfile.gettempdir()) / "qa-cache", folder))


def _openvino(cache: Path, folder: Path) -> Runner:
    import openvino as ov

    compiled = ov.Core().compile_model(str(_converted(cache, folder)), "CPU", {"PERFORMANCE_HINT": "LATENCY"})
    requests = threading.local()

    def run(ids: np.ndarray, mask: np.ndarray, types: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if not hasattr(requests, "request"):
            requests.request = compiled.create_infer_request()
        out = requests.request.infer({"input_ids": ids, "attention_mask": mask, "token_type_ids": types})
        return out[compiled.outputs[0]].copy(), out[compiled.outputs[1]].copy()

    return run


def _converted(cache: Path, folder: Path) -> Path:
    """The weights in `folder` as OpenVINO IR, converted once per weights file (named by its hash)."""
    weights = folder / WEIGHTS
    if not weights.is_file():
        raise RuntimeError(f"找不到阅读模型 {weights}：请运行 qa train-reader")
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()[:16]
    return converted(cache / f"reader-{digest}-openvino", lambda: load_torch(folder))
