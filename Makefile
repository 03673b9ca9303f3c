# Targets CI calls too (.ci/run runs `make test`).
# The newest supported interpreter on PATH (3.11-3.13); override with `make PY=/path/to/python`.
SUPPORTED := python3.13 python3.12 python3.11 python3
DETECTED_PY := $(firstword $(foreach p,$(SUPPORTED),$(shell command -v $(p) >/dev/null 2>&1 && $(p) -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null && echo $(p))))
PY ?= $(DETECTED_PY)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint typecheck bench clean python i18n

$(STAMP): pyproject.toml
	@test -n "$(PY)" || { echo "No Python 3.11, 3.12 or 3.13 found on PATH (tried $(SUPPORTED)); install one or run make PY=/path/to/python3.x"; exit 1; }
	@$(PY) -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' || { echo "$(PY) is not Python 3.11-3.13; run make PY=/path/to/python3.x"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

python:  ## print the interpreter make would use
	@echo "$(PY)"

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/tieguard demo --out tieguard-demo

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

# Translations: extract every marked message into the template, merge it into the nl/de/fr
# catalogues (new entries empty, gone entries dropped), then check that all are complete.
# No compile step: the package compiles the .po files in memory when a language is used.
LOCALES := src/tieguard/locale
i18n: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output --omit-header -o $(LOCALES)/tieguard.pot .
	$(BIN)/pybabel update -i $(LOCALES)/tieguard.pot -d $(LOCALES) -D tieguard --ignore-obsolete --no-fuzzy-matching
	$(BIN)/python -m tieguard.i18n.check

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) tieguard-demo tieguard.duckdb
