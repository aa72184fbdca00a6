"""``rasd train-ner`` and ``rasd eval-ner``."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Optional

import typer

from rasd.nlp.ner import evaluate_ner

_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "train_ner.py"


def _training_script():
    """scripts/train_ner.py is the one training entry point; it lives in the source checkout."""
    if not _SCRIPT.exists():
        raise typer.BadParameter(f"training needs a source checkout: {_SCRIPT} not found")
    import sys

    sys.path.insert(0, str(_SCRIPT.parent))  # for its sibling ner_clusters.py
    spec = importlib.util.spec_from_file_location("rasd_train_ner", _SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return mod


def register(app: typer.Typer) -> None:
    @app.command("train-ner")
    def train_ner(
        train: Path = typer.Option(..., "--train", exists=True, help="training CoNLL file (token TAB tag)"),
        out: Optional[Path] = typer.Option(None, "--out", help="model path (default rasd/models/ner-crf-<date>.crfsuite)"),
        extra: list[Path] = typer.Option([], "--extra", help="more training CoNLL files"),
        grid: str = typer.Option("0.1:0.05", "--grid", help="c1:c2 pairs tuned on the last 10% of --train"),
        max_iterations: int = typer.Option(200, "--max-iterations"),
        test: Optional[Path] = typer.Option(None, "--test", help="score the final model on this file (never tuned on)"),
    ) -> None:
        """Train the NER CRF (reproducible; writes the model and a JSON card next to it)."""
        argv = ["--train", str(train), "--grid", grid, "--max-iterations", str(max_iterations)]
        if out:
            argv += ["--out", str(out)]
        for p in extra:
            argv += ["--extra", str(p)]
        if test:
            argv += ["--test", str(test)]
        _training_script().main(argv)


__all__ = ["register", "evaluate_ner"]
