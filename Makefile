# Two commands do all set-up (README "Quick start"): `make run` and `make test`.
# Everything else here is what they are built from.

VENV   := .venv
PY     := $(VENV)/bin/python
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= data/burden.duckdb
APT_PACKAGES := chromium fonts-noto-cjk libreoffice-writer-nogui poppler-utils

.PHONY: run test bench bench-national lint format setup system-packages demo clean

run: setup $(DB)  ## install, build the demo database if missing, serve on 127.0.0.1:8501
	$(BIN)/burdenmap --db $(DB) upgrade
	$(BIN)/burdenmap --db $(DB) serve --host 127.0.0.1 --port 8501

test: setup  ## install, then run unit, AppTest and browser tests
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

bench: setup $(DB)  ## measure speed and size targets, print a table, write bench/results.json
	$(PY) -m bench --db $(DB)

# The same measurements on the national demo (built into NATIONAL_DB if missing, ~670k villages;
# needs the build extras). Never part of `make test`.
NATIONAL_DB ?= /tmp/burdenmap-national/burden.duckdb
bench-national: setup  ## national demo: build if missing, measure, write bench/results.json "national"
	$(PY) -m pip install -q -e '.[build]'
	$(PY) -m bench.bench_national --db $(NATIONAL_DB)

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

setup: $(STAMP) system-packages

$(PY):
	python3 -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

# Debian packages needed at run time (static exports) and by the tests (browser tests; the
# briefing opened by LibreOffice and read back with pdftotext, as a reader would).
system-packages:
	@dpkg -s $(APT_PACKAGES) >/dev/null 2>&1 || { \
	  echo "Installing Debian packages: $(APT_PACKAGES)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES); }

$(DB): | $(STAMP)
	$(BIN)/burdenmap --db $(DB) demo

demo: setup  ## rebuild the demo database
	$(BIN)/burdenmap --db $(DB) demo

clean:
	rm -rf $(VENV) test-output
