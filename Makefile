# Entry points for a newcomer: `make search Q="…"`, `make serve` and `make test`.
# Both create .venv, install the project into it, and run from there.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The browser tests drive Debian's chromium (never a browser downloaded by playwright).
CHROMIUM := /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 8000
export Q

.PHONY: install search serve test index clean bench

$(STAMP): setup.cfg pyproject.toml scripts/bootstrap
	PYTHON=$(PYTHON) scripts/bootstrap $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[http,test]'
	touch $(STAMP)

install: $(STAMP)

# The main job: build the index from corpus/ if needed, then answer Q.
search: $(STAMP)
	$(BIN)/rtes-search search -- "$$Q"

# The search page and JSON API on http://$(HOST):$(PORT)/ (index built first when needed).
serve: $(STAMP)
	$(BIN)/rtes-search serve --host $(HOST) --port $(PORT) --build

$(CHROMIUM):
	scripts/install-chromium

index: $(STAMP)
	$(BIN)/rtes-search index corpus/

test: $(STAMP) $(CHROMIUM)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) index

# Speed benchmark (minutes; see bench/README.md). Small run: make bench BENCH_ARGS="--sizes 1000".
bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)
