# Quick start: `make demo` (set up, extract the bundled samples, open the dashboard)
# and `make test` (set up, run the whole suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SHARED ?= ../shared

.PHONY: install demo test eval bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

demo: install
	$(BIN)/rasd demo samples/

test: install
	$(BIN)/python -m pytest

eval: install
	$(BIN)/rasd eval $(SHARED)/gold/seed.jsonl
	$(BIN)/rasd eval $(SHARED)/gold/dev.jsonl
	$(BIN)/rasd eval --sentences $(SHARED)/gold/sentences_dev.jsonl

clean:
	rm -rf $(VENV) build *.egg-info rasd.db
