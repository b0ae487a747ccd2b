# eventwire: `make demo` and `make test` set everything up from a fresh clone.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB := demo.db

.PHONY: demo test lint bench eval lock vendor clean

$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "needs $(PYTHON) (or run: make PYTHON=python3 ...)"; exit 2; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps -e .
	$(BIN)/python -m eventwire.gazetteer --build >/dev/null 2>&1 || true
	touch $(STAMP)

demo: $(STAMP)
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/eventwire ingest examples --db $(DEMO_DB)
	$(BIN)/eventwire events --db $(DEMO_DB)
	@echo ""
	@echo "Next: open the web UI with   $(BIN)/eventwire serve --db $(DEMO_DB)"
	@echo "      then browse to         http://127.0.0.1:8000/"
	@echo "      export PLOVER JSONL:   $(BIN)/eventwire events --db $(DEMO_DB) --format plover --out events.jsonl"

test: $(STAMP)
	$(BIN)/python -m pytest -q -ra --durations=15

lint: $(STAMP)
	$(BIN)/ruff check eventwire tests bench training
	$(BIN)/mypy eventwire

bench: $(STAMP)
	$(BIN)/python bench/run.py

eval: $(STAMP)
	$(BIN)/eventwire eval gate --shared ../shared

lock:
	$(BIN)/python -m pip install -q uv==0.9.30
	$(BIN)/uv pip compile --quiet --python-version 3.11 --generate-hashes --extra dev --extra ray -o requirements.lock pyproject.toml
	sed -i '1i # Pinned with hashes: `make lock` regenerates it from pyproject.toml (uv pip compile --generate-hashes).' requirements.lock

vendor:
	bash scripts/vendor.sh

clean:
	rm -rf $(VENV) *.egg-info $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm artifacts
