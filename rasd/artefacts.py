"""Shipped model artefacts in ``rasd/models/``: dated names, newest wins."""
from __future__ import annotations

from importlib import resources
from pathlib import Path


def newest_shipped(prefix: str, suffix: str) -> Path | None:
    """The newest ``rasd/models/<prefix>YYYYMMDD<suffix>``, or None when none ships."""
    folder = resources.files("rasd").joinpath("models")
    try:
        names = sorted(p.name for p in folder.iterdir() if p.name.startswith(prefix) and p.name.endswith(suffix))
    except (FileNotFoundError, NotADirectoryError):
        return None
    return Path(str(folder.joinpath(names[-1]))) if names else None


__all__ = ["newest_shipped"]
