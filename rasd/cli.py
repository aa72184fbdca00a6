"""The ``rasd`` command line."""
from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    help="rasd (رصد): Arabic news in, ACLED-style conflict and protest events out, with evidence.",
    no_args_is_help=True,
    add_completion=False,
)

# Each area of the package adds its own sub-commands through ``register(app)``.
_COMMAND_MODULES = (
    "rasd.commands",
    "rasd.geo.cli",
    "rasd.nlp.ner_cli",
    "rasd.store.cli",
    "rasd.api.cli",
    "rasd.scale.cli",
)

for _name in _COMMAND_MODULES:
    try:
        _mod = importlib.import_module(_name)
    except ModuleNotFoundError as exc:  # an area not built yet, or an optional extra missing
        if exc.name != _name:
            raise
        continue
    _mod.register(app)


if __name__ == "__main__":
    app()
