# Two entry points: `make demo` (set up, build the shipped data, write the public site,
# start the dashboard) and
# `make test` (set up the test tools, lint, type-check, run every test). Both create .venv.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export UV_COMPILE_BYTECODE := 1
export UV_LINK_MODE := copy

.PHONY: demo test install dev build lint typecheck pytest data clean notebooks

$(BIN)/uv:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "aksugeo needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv

$(VENV)/.installed: pyproject.toml | $(BIN)/uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e ".[dev]"
	@# the tests print reports (and drive the dashboard) in Debian's headless Chromium
	command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && \
		$(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	touch $@

install: $(VENV)/.installed

dev: $(VENV)/.dev-installed

build: install
	$(BIN)/aksugeo build data --out out
	$(BIN)/aksugeo export public --out out/public
	$(BIN)/aksugeo export site --out out/site
	$(BIN)/aksugeo report --out out/report

demo: build
	$(BIN)/aksugeo app

lint: dev
	$(BIN)/ruff check .

typecheck: dev
	$(BIN)/mypy

pytest: dev
	$(BIN)/pytest

test: lint typecheck pytest

# JupyterLab on this machine only, on the analysis notebooks
notebooks: install
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e ".[notebooks]"
	$(BIN)/jupyter lab --ip 127.0.0.1 --no-browser notebooks

# Regenerate the shipped synthetic data set (deterministic: same seed, same bytes).
data: install
	$(BIN)/aksugeo generate --out data

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache .mypy_cache
