# The referral line. `make run` starts the service locally (SERVICE_DEFINITION=data/services/<file>.yml picks the
# line, CIS by default); `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Rasa 3.6 needs Python 3.10: the one on PATH, or pyenv's.
PYTHON310 ?= $(shell for p in python3.10 $(wildcard $(HOME)/.pyenv/versions/3.10*/bin/python3.10) /usr/bin/python3.10; do \
	  $$p -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null && { echo $$p; break; }; done)

API_VENV := .venv/api
BOT_VENV := .venv/bot
API_PY := $(API_VENV)/bin/python
BOT_PY := $(BOT_VENV)/bin/python
PIP_QUIET := --quiet --disable-pip-version-check

# Rasa's telemetry would try to reach the internet; this service keeps everything on the machine.
export RASA_TELEMETRY_ENABLED := false

MODEL := models/cis.tar.gz
# Only what training reads: the service file (data/services/*.yml) is read at run time, so one model serves any.
BOT_DATA := config.yml domain.yml $(shell find data/nlu data/rules data/stories -name '*.yml' 2>/dev/null)
RASA := PYTHONPATH=$(CURDIR) $(BOT_VENV)/bin/rasa

.PHONY: help envs static model run test test-api test-bot test-e2e test-security test-browser test-nlu bench screenshots nlu-report lock-api lock-bot clean

help:
	@echo "make run    build the environments, create the case store with demo data, start the service"
	@echo "            (another line: make run SERVICE_DEFINITION=data/services/west-lothian.yml)"
	@echo "make test   run every test (PostgreSQL tests skip, saying so, when none is reachable)"
	@echo "make bench  measure chat and API latency, written to docs/benchmarks.md"
	@echo "make envs   build the two virtual environments only"
	@echo "make clean  remove the environments and the local case store"

# Each environment (.venv/api, .venv/bot) is rebuilt from scratch only when its lock file changes.
.venv/%/.installed: requirements/%.txt
	@test -n "$(PYTHON310)" || { echo "Python 3.10 is required (Rasa 3.6 runs on 3.10 only): install it, or pass PYTHON310=/path/to/python3.10"; exit 1; }
	rm -rf .venv/$*
	$(PYTHON310) -m venv .venv/$*
	.venv/$*/bin/python -m pip install $(PIP_QUIET) --upgrade "pip<24.1"
	.venv/$*/bin/python -m pip install $(PIP_QUIET) -r $<
	touch $@

envs: $(API_VENV)/.installed $(BOT_VENV)/.installed static

# The NHS.UK frontend and axe-core from the npm registry (package-lock.json), and the app's stylesheet built from
# intake_api/assets/nhsuk.scss into intake_api/static/nhsuk/ with the frontend's images: no CDN at run time.
NHSUK := intake_api/static/nhsuk
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(NHSUK)/nhsuk.css: node_modules/.installed intake_api/assets/nhsuk.scss
	rm -rf $(NHSUK) && mkdir -p $(NHSUK)
	cp -r node_modules/nhsuk-frontend/dist/nhsuk/assets $(NHSUK)/assets
	cp node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.js $(NHSUK)/nhsuk-frontend.min.js
	node_modules/.bin/sass --load-path=node_modules --style=compressed --no-source-map --quiet-deps \
	  intake_api/assets/nhsuk.scss $@

static: $(NHSUK)/nhsuk.css

# Trained only when the NLU, stories, rules, domain or config changed.
$(MODEL): $(BOT_VENV)/.installed $(BOT_DATA)
	$(RASA) train --fixed-model-name cis --out models
	touch $@

model: $(MODEL)

run: envs $(MODEL)
	@bash scripts/run-local

test: test-api test-bot test-e2e test-nlu

test-api: $(API_VENV)/.installed static
	$(API_PY) -m pytest tests/api tests/voice

test-bot: $(BOT_VENV)/.installed $(MODEL)
	PYTHONPATH=$(CURDIR) $(BOT_PY) -m pytest tests/bot -m "not nlu_cross_validation and not nlu_sets"

# Whole referrals, the attacks of tests/security and the browser tests in one run, so they share the running
# processes (tests/conftest.py) instead of starting them again.
test-e2e: envs $(MODEL)
	$(API_PY) -m pytest tests/e2e tests/security tests/browser

# One part of test-e2e on its own. The browser tests drive Debian's Chromium (/usr/bin/chromium) with Playwright.
test-security: envs $(MODEL)
	$(API_PY) -m pytest tests/security

test-browser: envs $(MODEL)
	$(API_PY) -m pytest tests/browser

# The NLU measured, last in make test, all written to docs/nlu-report.md: the trained model on the emergency set
# (999 advice: recall >= 0.98, at most 2 false alarms) and the hold-out set (intent accuracy), then the
# cross-validation (about 15 minutes on two cores): every intent F1 >= 0.9. (make test-bot leaves the sets to this target.)
test-nlu nlu-report: $(BOT_VENV)/.installed $(MODEL)
	NLU_REPORT=docs/nlu-report.md PYTHONPATH=$(CURDIR) $(BOT_PY) -m pytest tests/bot/test_nlu_sets.py tests/bot/test_nlu.py

# Pictures of the web chat and the staff console for the README, into docs/screenshots/ (the real processes).
screenshots: envs $(MODEL)
	$(API_PY) scripts/screenshots.py

# Latency of whole referrals on this machine, written to docs/benchmarks.md.
bench: envs $(MODEL)
	$(API_PY) bench/run.py

# Refresh a lock file from its .in file (needs the package registry).
lock-api lock-bot: lock-%:
	rm -rf .venv/lock && $(PYTHON310) -m venv .venv/lock
	.venv/lock/bin/pip install $(PIP_QUIET) -r requirements/$*.in
	{ echo "# Locked from requirements/$*.in on Python 3.10 (make lock-$*)."; .venv/lock/bin/pip freeze; } > requirements/$*.txt
	rm -rf .venv/lock

clean:
	rm -rf .venv instance models results node_modules intake_api/static/nhsuk
