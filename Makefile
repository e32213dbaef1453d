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

# Rebuilt when its inputs change, not on every reinstall; the matcher's compiled automaton is
# cached beside it now, so the app's first page does not pay for compiling it.
GAZ_INPUTS := $(wildcard gazetteer/data/*.csv gazetteer/data/name_rules.toml) \
              gazetteer/sources.py gazetteer/assemble.py gazetteer/naming.py gazetteer/build.py
$(GAZ): $(GAZ_INPUTS) | $(STAMP)
	$(BIN)/gazetteer build --out $(GAZ)
	$(BIN)/python -c "from gazetteer.index import load_gazetteer; from gazetteer.match import compile_matcher; compile_matcher(load_gazetteer())"

install: $(STAMP) data

data: $(GAZ)

# timeline.serve warms up (imports, gazetteer, the seeds' analyses) and then runs `streamlit run app.py`.
run: install
	$(BIN)/python -m timeline.serve

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
