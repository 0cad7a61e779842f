# Two commands do all set-up on a fresh clone:
#   make book   installs what the book needs into .venv and builds it into _build/html/
#   make test   installs everything the suite needs (Debian packages, pip, npm), then runs it
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP_STAMP := $(VENV)/.circlekit-installed
NPM_STAMP := node_modules/.circlekit-installed

.PHONY: book test lint system clean

book: $(PIP_STAMP) $(NPM_STAMP)
	$(BIN)/circlekit build

test: system $(PIP_STAMP) $(NPM_STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(PIP_STAMP)
	$(BIN)/ruff check .

$(PIP_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's Chromium (browser tests, through Playwright) and PostgreSQL (the circle service's
# second database), installed only when missing.
system:
	sh .ci/system-packages.sh

clean:
	rm -rf _build
