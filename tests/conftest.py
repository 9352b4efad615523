"""Shared fixtures: one real index over the bundled seeds, built once per test session."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

from qa import settings as settings_module  # noqa: E402
from qa.index import build  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def base_settings(tmp_path_factory: pytest.TempPathFactory) -> settings_module.Settings:
    folder = tmp_path_factory.mktemp("seed-index")
    return replace(settings_module.load(), articles=SEEDS, index=folder / "index")


@pytest.fixture(scope="session")
def seed_index(base_settings: settings_module.Settings):
    index, _ = build(base_settings)
    return index


@pytest.fixture
def articles_copy(tmp_path: Path) -> Path:
    """A writable copy of the seed articles."""
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    return folder
