"""The default index over the bundled articles, built on first use and shared by every caller."""

from __future__ import annotations

import threading

from . import index as index_module
from . import settings as settings_module
from .retrieve import Hit

_lock = threading.Lock()
_loaded: dict[str, index_module.Index] = {}


def default_index(settings: settings_module.Settings | None = None) -> index_module.Index:
    """The index at settings.index, built from settings.articles (with a progress bar) if missing."""
    settings = settings or settings_module.load()
    key = str(settings.index)
    with _lock:
        if key not in _loaded:
            try:
                _loaded[key] = index_module.open_index(settings.index, settings)
            except index_module.IndexUnavailable:
                if (settings.index / "CURRENT").exists():
                    raise
                _loaded[key], _ = index_module.build(settings, progress=True)
        return _loaded[key]


def search(question: str, k: int = 5, method: str = "hybrid") -> list[Hit]:
    """The k passages of the default index that best answer `question`."""
    return default_index().search(question, k, method)
