"""Train the span reader: m3e-small with a start/end head, fine-tuned on SQuAD-format Chinese data.

The word embeddings stay frozen (they are shared with the embedder), so the shipped file holds only
the layers training changed. m3e-small never saw a second segment: its token-type-1 embedding is
untrained noise, so it starts as a copy of type 0. A checkpoint is written at least every ten
minutes and a killed run resumes at the step it stopped on, with the same data order.
"""

from __future__ import annotations

import os
import random
import time
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import numpy as np

from qa import read
from qa.squad import Example, erased, load_examples, negative_contexts, score_gold

TRAIN_FILES = ("cmrc2018_train.json", "drcd_dev_zhs.json")
TRIAL_FILE = "cmrc2018_trial.json"
DEV_FILE = "cmrc2018_dev.json"  # scored into the model card for reporting; never used for a choice
CHECKPOINT = "checkpoint.pt"
CHECKPOINT_SECONDS = 600


@dataclass
class Recipe:
    """Hyper-parameters, written into the model card."""

    epochs: float = 2.0
    batch: int = 32
    lr: float = 3e-4
    warmup: float = 0.03
    weight_decay: float = 0.01
    negative_share: float = 0.25  # of all windows: no-answer windows with the [CLS] target
    erase_answers: bool = True  # no-answer windows also of the passage with the answer's sentences cut out
    seed: int = 13
    max_tokens: int = read.MAX_TOKENS
    init: str = ""  # a trained reader's folder to start from (with a fresh optimizer), else m3e-small


def windows_for(examples: list[Example], negatives: dict[str, str], recipe: Recipe) -> list[read.Window]:
    """Answer windows of every example, plus a share of windows that do not hold the answer."""
    tokenizer = read.tokenizer()
    rng = random.Random(recipe.seed)
    positive, negative = [], []
    for ex in examples:
        for window in read.windows(tokenizer, ex.question, ex.context, ex.answer_start, ex.answer):
            (positive if window.start else negative).append(window)
        other = negatives.get(ex.id)
        if other:  # a passage retrieval ranks high that is not the gold one
            negative.extend(w for w in read.windows(tokenizer, ex.question, other)[:1])
        cut = erased(ex) if recipe.erase_answers else None
        if cut:  # the same passage, no longer saying it: the window where the answer was
            text, at = cut
            negative.extend([w for w in read.windows(tokenizer, ex.question, text) if w.offsets[-1][1] >= at][:1])
    wanted = int(len(positive) * recipe.negative_share / (1 - recipe.negative_share))
    rng.shuffle(negative)
    return positive + negative[:wanted]


def train(data: Path, out: Path, recipe: Recipe, resume: bool = False, limit: int | None = None) -> dict:
    """Train, checkpointing as it goes, then write the shipped weights and the model card."""
    import torch

    torch.manual_seed(recipe.seed)
    torch.set_num_threads(os.cpu_count() or 1)
    examples = [ex for name in TRAIN_FILES for ex in load_examples(data / name)][:limit]
    windows = windows_for(examples, negative_contexts(examples), recipe)
    model = read.load_torch(Path(recipe.init)).train() if recipe.init else read.trainable_model()
    params = [p for p in model.parameters() if p.requires_grad]
    steps_per_epoch = max(1, len(windows) // recipe.batch)
    total = max(1, int(steps_per_epoch * recipe.epochs))
    optimizer = torch.optim.AdamW(params, lr=recipe.lr, weight_decay=recipe.weight_decay)
    warm = max(1, int(total * recipe.warmup))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm)))
    )
    step, curve = 0, []
    if resume and (out / CHECKPOINT).is_file():
        state = torch.load(out / CHECKPOINT, weights_only=False)
        model.load_state_dict(state["model"], strict=False)
        optimizer.load_state_dict(state["optimizer"])
        schedule.load_state_dict(state["schedule"])
        step, curve = state["step"], state["curve"]
    out.mkdir(parents=True, exist_ok=True)
    trial = load_examples(data / TRIAL_FILE)[:limit]
    _loop(model, windows, recipe, (optimizer, schedule), (step, total, steps_per_epoch), out, curve, trial)
    dev = load_examples(data / DEV_FILE) if limit is None and (data / DEV_FILE).is_file() else []
    return _finish(model, out, recipe, total, len(windows), curve, dev)


def _loop(model, windows, recipe, optim, steps, out: Path, curve: list, trial: list[Example]) -> None:
    """The training steps from `step` to `total`, with a progress bar and timed checkpoints."""
    import torch
    from tqdm import tqdm

    optimizer, schedule = optim
    step, total, per_epoch = steps
    saved, losses = time.monotonic(), []
    bar = tqdm(total=total, initial=step, desc="训练阅读模型", unit="步", disable=os.environ.get("TQDM_DISABLE") == "1")
    model.train()
    while step < total:
        epoch, offset = divmod(step, per_epoch)
        order = np.random.default_rng(recipe.seed + epoch).permutation(len(windows))
        batch = [windows[i] for i in order[offset * recipe.batch : (offset + 1) * recipe.batch]]
        inputs, starts, ends = read.collate(batch)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            output = model(**inputs, start_positions=starts, end_positions=ends)
        output.loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad(set_to_none=True)
        step += 1
        losses.append(output.loss.item())
        bar.update(1)
        bar.set_postfix(loss=f"{np.mean(losses[-50:]):.3f}")
        if step % 50 == 0:
            curve.append({"step": step, "windows": step * recipe.batch, "loss": round(float(np.mean(losses[-50:])), 4)})
        if step % per_epoch == 0 or step == total:
            model.eval()
            curve.append({"step": step, "trial": score_gold(read.Reader.from_torch(model), trial)})
            bar.write(f"第 {step} 步 CMRC2018 trial：{curve[-1]['trial']}")
            model.train()
        if time.monotonic() - saved > CHECKPOINT_SECONDS or step == total:
            _checkpoint(model, optimizer, schedule, step, curve, out)
            saved = time.monotonic()
    bar.close()


def _checkpoint(model, optimizer, schedule, step: int, curve: list, out: Path) -> None:
    """Everything a resumed run needs, written atomically."""
    import torch

    state = {
        "model": read.trained_state(model),
        "optimizer": optimizer.state_dict(),
        "schedule": schedule.state_dict(),
        "step": step,
        "curve": curve,
    }
    tmp = out / (CHECKPOINT + ".tmp")
    torch.save(state, tmp)
    os.replace(tmp, out / CHECKPOINT)


def _finish(model, out: Path, recipe: Recipe, total: int, windows: int, curve: list, dev: list[Example]) -> dict:
    """Ship the weights with a card saying what they were trained on and how they score (dev: report only)."""
    model.eval()
    card = {
        "base": read.BASE_MODEL,
        "data": [*TRAIN_FILES],
        "recipe": asdict(recipe),
        "steps": total,
        "windows": windows,
        "date": date.today().isoformat(),
        "trial": next(c["trial"] for c in reversed(curve) if "trial" in c),
        "dev": score_gold(read.Reader.from_torch(model), dev) if dev else None,
        "curve": curve,
    }
    if recipe.init:  # what this run went on from, its learning curve aside
        card["init"] = {k: v for k, v in read.card(Path(recipe.init)).items() if k != "curve"}
    read.save(model, out, card)
    return card
