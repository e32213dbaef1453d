# The single entry point: `make run` and `make test` work from nothing but python3 and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
GAZ    := gazetteer/data/gazetteer.sqlite
GOLD   ?= ../shared/eval/seeds-gold

.PHONY: install data run test lint typecheck score bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

$(GAZ): $(STAMP)
	$(BIN)/gazetteer build --out $(GAZ)

install: $(STAMP) data

data: $(GAZ)

run: install
	$(BIN)/streamlit run app.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

test: install lint typecheck
	$(BIN)/python -m pytest

score: install
	@rm -rf build/pred && $(BIN)/timeline-mapper annotate seeds/*.txt --out build/pred >/dev/null
	@$(BIN)/timeline-mapper score $(GOLD) build/pred

bench: install
	$(BIN)/python scripts/bench.py seeds

clean:
	rm -rf build $(GAZ) .pytest_cache .mypy_cache .ruff_cache
