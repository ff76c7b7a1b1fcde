"""The full-text index's words, for compound expansion (`compounds`), read in the background.

Reading them means reading every indexed text: about 3 s for 100k texts and 30 s for 1M
(`bench/match.py --levers`). No match waits that long for it: the first match after a start
waits at most `FIRST_READ_WAIT_S` (a small graph is read by then), and a larger graph is matched
without compound expansion until its words are in. A re-read, when the number of texts has
changed, runs behind matches that keep using the words read before.
"""

from __future__ import annotations

import logging
import threading
import time

from graph import search
from graph.connection import Graph

from . import compounds

log = logging.getLogger("partnergraph.matching")

RECHECK_S = 300.0  # the number of texts is compared again after this long
FIRST_READ_WAIT_S = 2.0
_MEMO = "compound vocabulary"


class _Kept:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.words: compounds.Vocabulary | None = None
        self.count = 0  # texts when the words were read
        self.checked = -float("inf")
        self.reading: threading.Event | None = None  # set when the read running now ends


def words_of(graph: Graph, wait_s: float = FIRST_READ_WAIT_S) -> compounds.Vocabulary | None:
    """The index's words as last read; None while the first read has not ended within
    `wait_s`. Starts a read in the background when none was made or the last check is older
    than `RECHECK_S`; waits for it only while no words of a non-empty index are known."""
    kept = _kept(graph)
    with kept.lock:
        if time.monotonic() - kept.checked >= RECHECK_S and kept.reading is None:
            kept.reading = threading.Event()
            graph.in_background(lambda: _read(graph, kept), name="vocabulary")
        reading = kept.reading
    if reading is not None and not kept.count:
        reading.wait(wait_s)
    return kept.words


def read_now(graph: Graph) -> compounds.Vocabulary:
    """Read the words at once, waiting for it (benchmarks)."""
    kept = _kept(graph)
    _read(graph, kept, force=True)
    assert kept.words is not None
    return kept.words


def _kept(graph: Graph) -> _Kept:
    kept: _Kept | None = graph.memo.get(_MEMO)
    if kept is None:
        kept = graph.memo.setdefault(_MEMO, _Kept())  # setdefault: one of racing first calls wins
    return kept


def _read(graph: Graph, kept: _Kept, force: bool = False) -> None:
    try:
        count = search.evidence_count(graph)
        if force or count != kept.count or kept.words is None:
            words = compounds.Vocabulary(compounds.vocabulary(search.indexed_texts(graph)))
            kept.words, kept.count = words, count
        # an empty index (a service started before the first load) is looked at again soon
        kept.checked = time.monotonic() if count else -float("inf")
    except Exception as error:  # a background thread: logged, and tried again at the next match
        log.warning("the full-text index's words could not be read: %s", error)
    finally:
        with kept.lock:
            done, kept.reading = kept.reading, None
        if done is not None:
            done.set()
