# Two commands do all set-up on a fresh machine: `make serve` and `make test`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# `make serve PORT=8600 ADDRESS=127.0.0.1`; an address other than loopback needs a login (docs/deploy.md)
PORT ?= 8501
ADDRESS ?= 127.0.0.1

.PHONY: serve test install demo bench clean

$(BIN)/einklang: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(BIN)/einklang

install: $(BIN)/einklang

serve: install
	exec $(BIN)/einklang serve --port $(PORT) --address $(ADDRESS)

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) data/einklang.duckdb data/einklang.duckdb.wal tests/artifacts
