# The verbs a contributor types. `make build` and `make test` work on a fresh Debian machine:
# they install what they need with apt-get, pip and npm, then do the job.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APT_PACKAGES := chromium
APT_UPDATED := $(VENV)/.apt-updated

MOODLE_HARNESS := $(CURDIR)/../shared/lms-moodle
CMI5_HARNESS := $(CURDIR)/../shared/lms-cmi5

.PHONY: build test check serve setup setup-test setup-moodle setup-cmi5 lint clean benchmark screenshots

build: setup  ## check the course strictly, then build the site and the LMS packages
	$(BIN)/bonsens check --strict
	$(BIN)/bonsens build

test: setup-test lint  ## set everything up and run the whole test suite
	$(BIN)/pytest

check: setup
	$(BIN)/bonsens check --strict

serve: setup  ## preview the site with live reload while editing YAML
	$(BIN)/bonsens serve

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

setup-test: $(VENV)/.installed-test node_modules/.package-lock.json /usr/bin/chromium setup-moodle setup-cmi5

# A real Moodle 4.3 on 127.0.0.1 for tests/test_moodle.py, when ../shared/lms-moodle is beside the
# repository (idempotent: apt PHP 8.2 + PostgreSQL 15 and a CLI install the first time, then starts it)
setup-moodle:
	@if [ -x "$(MOODLE_HARNESS)/setup.sh" ]; then "$(MOODLE_HARNESS)/setup.sh"; \
	else echo "no Moodle harness at $(MOODLE_HARNESS): tests/test_moodle.py will be skipped"; fi

# ADL's LRS, cmi5 player and cmi5 Content Test Suite on 127.0.0.1 for tests/test_cmi5_*.py, when
# ../shared/lms-cmi5 is beside the repository (idempotent: about 7 minutes the first time, then
# about 15 s; installs under /opt/cmi5-stack and leaves the stack running)
setup-cmi5:
	@if [ -x "$(CMI5_HARNESS)/setup.sh" ]; then "$(CMI5_HARNESS)/setup.sh"; \
	else echo "no cmi5 harness at $(CMI5_HARNESS): tests/test_cmi5_*.py will be skipped"; fi

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

/usr/bin/chromium:
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(APT_PACKAGES)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check builder tests benchmarks scripts
	$(BIN)/mypy

benchmark: setup-test
	$(BIN)/python benchmarks/run.py

screenshots: setup-test  ## the course as learners see it, desktop and phone, into docs/screenshots/
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf site dist .bonsens .pytest_cache .mypy_cache .ruff_cache
