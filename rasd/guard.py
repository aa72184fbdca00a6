"""Run a function under a wall-clock limit, so one pathological document cannot stall a batch.

``run_with_limit(fn, *args, seconds=5)`` returns ``Guarded(value, skipped)``:
``skipped`` is ``None`` when ``fn`` finished, or a human-readable reason
("timed out after 5.0 s") when it was interrupted. Exceptions from ``fn``
propagate unchanged: a crash is not a timeout.

The limit uses ``signal.setitimer(ITIMER_REAL)``, which only works in the main
thread of a process on POSIX. Elsewhere (worker threads, Windows) the function
runs without a limit and ``Guarded.limited`` says so, rather than failing.
"""
from __future__ import annotations

import signal
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Generic, TypeVar

T = TypeVar("T")


class TimeLimitExceeded(Exception):
    """Raised inside the guarded function when its time is up."""


@dataclass(frozen=True, slots=True)
class Guarded(Generic[T]):
    value: T | None
    skipped: str | None  # why no value: the limit was hit
    seconds: float  # wall-clock time spent
    limited: bool  # False when no limit could be enforced (not the main thread, no SIGALRM)

    @property
    def ok(self) -> bool:
        return self.skipped is None


def can_limit() -> bool:
    """Whether ``run_with_limit`` can enforce a limit here (POSIX main thread)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def run_with_limit(fn: Callable[..., T], *args: Any, seconds: float, **kwargs: Any) -> Guarded[T]:
    """``fn(*args, **kwargs)`` stopped after ``seconds`` of wall-clock time."""
    start = time.perf_counter()
    if seconds <= 0 or not can_limit():
        value = fn(*args, **kwargs)
        return Guarded(value, None, time.perf_counter() - start, False)

    def on_alarm(_signum: int, _frame: Any) -> None:
        raise TimeLimitExceeded

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        value = fn(*args, **kwargs)
    except TimeLimitExceeded:
        return Guarded(None, f"timed out after {seconds:g} s", time.perf_counter() - start, True)
    finally:
        # Disarm before restoring the handler, so a late alarm cannot hit the old one.
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return Guarded(value, None, time.perf_counter() - start, True)


__all__ = ["Guarded", "TimeLimitExceeded", "can_limit", "run_with_limit"]
