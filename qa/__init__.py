"""问答 over the articles: hybrid retrieval and cited Chinese answers over a folder of news articles."""

from __future__ import annotations

from .offline import stay_offline

stay_offline()

from .answer import Answer  # noqa: E402
from .index import Index, IndexUnavailable, open_index  # noqa: E402
from .retrieve import METHODS, Hit, QueryError  # noqa: E402
from .service import ask, ask_stream, default_index, search, warm_up  # noqa: E402
from .settings import Settings  # noqa: E402
from .settings import load as load_settings  # noqa: E402

__all__ = [
    "METHODS",
    "Answer",
    "Hit",
    "Index",
    "IndexUnavailable",
    "QueryError",
    "Settings",
    "ask",
    "ask_stream",
    "default_index",
    "load_settings",
    "open_index",
    "search",
    "warm_up",
]
