# Two entry points for a newcomer: `make search Q="…"` and `make test`.
# Both create .venv, install the project into it, and run from there.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export Q

.PHONY: install search test index clean bench

$(STAMP): setup.cfg pyproject.toml scripts/bootstrap
	PYTHON=$(PYTHON) scripts/bootstrap $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# The main job: build the index from corpus/ if needed, then answer Q.
search: $(STAMP)
	$(BIN)/rtes-search search -- "$$Q"

index: $(STAMP)
	$(BIN)/rtes-search index corpus/

test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) index

# Speed benchmark (minutes; see bench/README.md). Small run: make bench BENCH_ARGS="--sizes 1000".
bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)
