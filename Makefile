# Every target creates or reuses .venv and installs what it needs, so a fresh machine with Python 3.11 and
# make is enough.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test soak bench lint typecheck imports unit contract sandbox clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "make: $(PYTHON) not found; set PYTHON=/path/to/python3.11"; exit 2; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# uv installs in about 10 s what pip takes about 40 s over; where uv cannot (it reads no pip.conf, so a
	@# machine whose packages come only from a private index), pip does. Both write the libraries' bytecode as
	@# they install (pip always does, uv when asked): where PYTHONDONTWRITEBYTECODE is set, a library without it
	@# is compiled again by every process that imports it, about 2 s of CPU for each of the tests' processes.
	@{ $(BIN)/python -m pip install --quiet --disable-pip-version-check uv && \
	   $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[dev]'; } || \
	 $(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	@$(BIN)/wlc demo

# mypy checks while the tests run (the tests wait on sockets and other processes much of the time, mypy on one
# core); its report follows theirs, and either failing fails the target.
test: lint imports
	@$(BIN)/mypy src tests bench > $(VENV)/mypy.out 2>&1 & typing=$$!; \
	$(BIN)/python -m pytest -n 3 --maxschedchunk 1; tests=$$?; \
	wait $$typing; typed=$$?; echo "mypy:"; cat $(VENV)/mypy.out; \
	test $$tests -eq 0 -a $$typed -eq 0

soak: $(STAMP)
	@$(BIN)/python -m pytest -m soak -s

bench: $(STAMP)
	@$(BIN)/python -m bench.run

lint: $(STAMP)
	@$(BIN)/ruff check src tests bench
	@$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	@$(BIN)/mypy src tests bench

imports: $(STAMP)
	@$(BIN)/lint-imports

unit: $(STAMP)
	@$(BIN)/python -m pytest tests/unit

contract: $(STAMP)
	@$(BIN)/python -m pytest tests/contract

sandbox: $(STAMP)
	@$(BIN)/wlc sandbox serve

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache build src/*.egg-info
