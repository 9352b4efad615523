"""The product's entry points: the shared default index, `search`, `ask` and `ask_stream`."""

from __future__ import annotations

import threading
from collections.abc import Iterator

from . import answer as extractive
from . import index as index_module
from . import llm, read
from . import settings as settings_module
from .answer import Answer
from .followup import Turn, resolve
from .question import answer_kind, asking_part
from .retrieve import Hit, prepare_query

_lock = threading.Lock()
_loaded: dict[str, index_module.Index] = {}
ITEM_PASSAGES = 2  # of the best passages, whose next passage is searched too for 第二点是什么
NO_CITATION = "语言模型的回答没有引用资料，已改用摘录式回答"


def default_index(settings: settings_module.Settings | None = None, create: bool = False) -> index_module.Index:
    """The live index at settings.index (or the Milvus collection of settings), shared read-only by all callers.

    Reloaded when `qa index` has made a new version live; a pointer that is unreadable or names a
    version that fails to open leaves the loaded index serving. A Milvus collection is searched
    live, so it is never reloaded. Built from settings.articles (with a progress bar) only with
    `create` when nothing was ever built there, the first use of `search`/`ask`: a reader never
    rebuilds or prunes an existing folder, whose versions a lost pointer's message names instead.
    """
    settings = settings or settings_module.load()
    key = index_module.address(settings)
    with _lock:
        loaded = _loaded.get(key)
        if loaded is not None and index_module.current_version(settings) in ("", loaded.version):
            return loaded
        if loaded is None and create and index_module.missing(settings):
            _loaded[key], _ = index_module.build(settings, progress=True)
            return _loaded[key]
        try:
            _loaded[key] = index_module.open_index(settings.index, settings)
        except index_module.IndexUnavailable:
            if loaded is None:
                raise
        return _loaded[key]


def warm_up(settings: settings_module.Settings) -> None:
    """Load the reader in the background (converted once, then cached), so a server's first answer is quick."""
    threading.Thread(target=read.reader, args=(settings.backend, settings.cache, settings.reader), daemon=True).start()


def search(question: str, k: int = 5, method: str = "hybrid") -> list[Hit]:
    """The k passages of the default index that best answer `question`; the first use builds it if need be."""
    return default_index(create=True).search(question, k, method)


class AnswerStream:
    """Iterate for the answer's text in pieces; `.answer` holds the whole Answer once iteration ends."""

    def __init__(self, pieces: Iterator[str | Answer]) -> None:
        self._pieces = pieces
        self.answer: Answer | None = None

    def __iter__(self) -> Iterator[str]:
        for piece in self._pieces:
            if isinstance(piece, Answer):
                self.answer = piece
            else:
                yield piece


def ask_stream(
    question: str,
    history: list[Turn] | None = None,
    k: int = 5,
    method: str = "hybrid",
    use_llm: bool = True,
    index: index_module.Index | None = None,
) -> AnswerStream:
    """The answer to `question` (a follow-up of `history`) as a stream of text pieces."""
    query, referent = resolve(asking_part(prepare_query(question)), history)
    searched = index or default_index(create=True)
    hits = searched.search(query, k, method)
    if answer_kind(query) == "item":
        hits += _following(hits[:ITEM_PASSAGES], searched)
    return AnswerStream(_pieces(query, hits, searched, use_llm, referent))


def _following(hits: list[Hit], searched: index_module.Index) -> list[Hit]:
    """The passages after `hits` that are not among them: the items of a list the passage announces."""
    seen = {(hit.doc_id, hit.start) for hit in hits}
    after = (searched.following(hit) for hit in hits)
    return [hit for hit in after if hit and (hit.doc_id, hit.start) not in seen]


def ask(question: str, history: list[Turn] | None = None, **options: object) -> Answer:
    """The cited answer to `question`; see ask_stream for the options."""
    stream = ask_stream(question, history, **options)
    for _ in stream:
        pass
    assert stream.answer is not None
    return stream.answer


def _pieces(
    query: str, hits: list[Hit], searched: index_module.Index, use_llm: bool, referent: str = ""
) -> Iterator[str | Answer]:
    settings = searched.settings
    note = ""
    if use_llm and llm.configured(settings) and hits:
        citations = llm.Citations(hits)
        pieces: list[str] = []
        shown = 0
        try:
            for raw in llm.stream(query, hits, settings):
                pieces.append(citations.feed(raw))
                if citations.used:  # the answer cites: stream it from here on
                    yield from pieces[shown:]
                    shown = len(pieces)
            pieces.append(citations.flush())
        except llm.LLMError as error:
            note = f"{error}，已改用摘录式回答"
        else:
            text = "".join(pieces)
            if citations.used:
                yield from pieces[shown:]
                yield Answer(text, True, citations.cited, query, quotes=[""] * len(citations.used))
                return
            if extractive.REFUSAL in text:
                yield text
                yield Answer(text, False, [], query, related=hits[:3])
                return
            note = NO_CITATION
    result = extractive.extract(query, hits, read.reader(settings.backend, settings.cache, settings.reader))
    if referent and result.found and not extractive.names_referent(result, referent):
        result = extractive.refusal(query, hits)
    result.note = note
    yield result.text
    yield result
