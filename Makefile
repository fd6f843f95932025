# Every target sets up .venv itself: a fresh clone needs only `make demo` or `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SHARED ?= ../shared

.PHONY: demo test lint bench bench-quality bench-gold bench-heldout bench-crawl clean-archive fixtures-expected bytecode

$(VENV)/.base: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# pip 23.2 mis-resolves trafilatura's extras: upgrade pip inside the venv first
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.dev: $(VENV)/.base
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

# The project's modules compiled ahead: an editable install leaves them as source, and where
# PYTHONDONTWRITEBYTECODE is set (as on this machine) every process compiled them again at start,
# 30-40 ms of each run of the CLI and of every worker it spawns. Checked by the source's hash, not
# its mtime: an edit within the second of the last compile, to a file of the same size, would
# otherwise run the old bytecode (and nothing would rewrite it).
bytecode: $(VENV)/.base
	$(PY) -m compileall -q --invalidation-mode checked-hash cleaners scraper

demo: bytecode
	$(VENV)/bin/newsarchive clean fixtures/pages fixtures/legacy --out archive

test: $(VENV)/.dev bytecode
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/python -m pytest

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Speed of `newsarchive clean` beside the trafilatura CLI on ../shared/corpora/aeb (skips without ../shared)
bench: bytecode
	$(PY) bench/bench_clean.py --shared $(SHARED) $(ARGS)

# Extraction quality beside trafilatura on ../shared corpora; e.g. make bench-quality ARGS="--corpus aeb --worst 20"
bench-quality: bytecode
	$(PY) bench/quality.py --shared $(SHARED) $(ARGS)

# Upper bounds the WCXB gold itself puts on 'with', date and title agreement (no extractor runs)
bench-gold: bytecode
	$(PY) bench/gold_bounds.py --shared $(SHARED) $(ARGS)

# Quality beside trafilatura on pages no rule was written against: the test sets of trafilatura 1.0.0,
# newspaper4k 0.9.6 and htmldate 1.4.0, fetched from PyPI once into bench/.cache/
bench-heldout: bytecode
	$(PY) bench/heldout.py $(ARGS)

# `newsarchive crawl` beside `wget --recursive` on a generated 2,000-article site served on 127.0.0.1
# (wget installed only if absent); e.g. make bench-crawl ARGS="--latency-ms 0"
bench-crawl: bytecode
	@command -v wget >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq wget)
	$(PY) bench/bench_crawl.py $(ARGS)

# Regenerate fixtures/expected after a deliberate cleaner change; review `git diff fixtures/expected`.
fixtures-expected: bytecode
	rm -rf fixtures/expected
	$(VENV)/bin/newsarchive clean fixtures/pages fixtures/legacy --out fixtures/expected --jobs 2
	rm -rf fixtures/expected/.newsarchive

clean-archive:
	find archive -mindepth 1 ! -name README.md -exec rm -rf {} +
