# The single entry point: every target creates (or reuses) .venv from python3 and pip alone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: demo test lint eval bench serve clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

## make demo: build the synthetic demo clinic on SQLite and serve it on http://127.0.0.1:8000
demo: $(STAMP)
	$(BIN)/naltrack demo

## make test: the whole suite, on SQLite, and on PostgreSQL when one is configured (required under CI=true)
test: $(STAMP)
	$(BIN)/python scripts/run_tests.py

lint: $(STAMP)
	$(BIN)/ruff check src tests bench evals scripts
	$(BIN)/mypy src/naltrack/clinical
	$(BIN)/mypy src/naltrack

## make eval: the worked cases in ../shared/eval (screening verdicts, ask answers)
eval: $(STAMP)
	@set -e; for f in evals/eval_*.py; do $(BIN)/python $$f; done

## make bench: every benchmark in bench/, each printing JSON ratios measured in the same run
bench: $(STAMP)
	@mkdir -p bench/results
	@set -e; for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f; done

serve: $(STAMP)
	$(BIN)/naltrack serve

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-artifacts
