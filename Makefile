# Every target sets up .venv itself: a fresh clone needs only `make demo` or `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SHARED ?= ../shared

.PHONY: demo test lint bench bench-quality bench-crawl clean-archive

$(VENV)/.base: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# pip 23.2 mis-resolves trafilatura's extras: upgrade pip inside the venv first
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.dev: $(VENV)/.base
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

demo: $(VENV)/.base
	$(VENV)/bin/newsarchive clean fixtures/pages fixtures/legacy --out archive

test: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/python -m pytest

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Extraction quality beside trafilatura on ../shared corpora; e.g. make bench-quality ARGS="--corpus aeb --worst 20"
bench-quality: $(VENV)/.base
	$(PY) bench/quality.py --shared $(SHARED) $(ARGS)

clean-archive:
	find archive -mindepth 1 ! -name README.md -exec rm -rf {} +
