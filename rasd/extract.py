"""Running the pipeline over documents: one at a time, or streamed through worker processes."""
from __future__ import annotations

import multiprocessing as mp
import threading
import traceback
from typing import Iterable, Iterator, TypeVar

from rasd.doc import Document
from rasd.pipeline import default_pipeline

T = TypeVar("T")


def extract(doc: Document) -> Document:
    """Run the default pipeline on ``doc``. A component failure is recorded on the document, not raised."""
    try:
        return default_pipeline()(doc)
    except Exception as exc:  # one bad document must never stop a batch
        doc.events = []
        doc.warn(f"extraction failed: {type(exc).__name__}: {exc}")
        doc.meta["error"] = traceback.format_exc(limit=5)
        return doc


def _extract_item(item: T) -> T:
    return extract(item) if isinstance(item, Document) else item  # type: ignore[return-value]


def _init_worker() -> None:
    default_pipeline()  # load every resource once per process, before the first document


def extract_many(items: Iterable[T], workers: int = 1, chunksize: int = 16) -> Iterator[T]:
    """Extract events from a stream of Documents (other items, e.g. ingest errors, pass through).

    Output order equals input order. With ``workers`` > 1 a process pool is
    used; the input is consumed lazily, so memory stays bounded on any input size.
    """
    if workers <= 1:
        for item in items:
            yield _extract_item(item)
        return
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    window = threading.BoundedSemaphore(workers * chunksize * 4)

    def feed() -> Iterator[T]:
        # Pool.imap drains its input in a background thread; the semaphore makes that thread
        # wait once `window` documents are in flight, so memory stays bounded while the
        # workers never idle between batches.
        for item in items:
            window.acquire()
            yield item

    with ctx.Pool(workers, initializer=_init_worker) as pool:
        for result in pool.imap(_extract_item, feed(), chunksize=chunksize):
            window.release()
            yield result


__all__ = ["extract", "extract_many"]
