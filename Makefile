# Two commands do all the set-up on a fresh machine:
#   make run    installs what Opstap needs and serves it with demo data on http://127.0.0.1:8000
#   make test   installs what the tests need too and runs the whole suite
# Both are idempotent: the second time they only check the stamps below.

VENV      := .venv
PY        := $(VENV)/bin/python
PYTHON    ?= $(shell command -v python3.11 || command -v python3)
HTMX      := web/static/vendor/htmx.min.js
GOVUK_JS  := web/static/vendor/govuk-frontend.min.js
THEME_CSS := web/static/vendor/opstap.css
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PYTEST_ARGS ?=

.PHONY: run test install install-test browser lint translations clean assets load

assets: $(HTMX) $(GOVUK_JS) $(THEME_CSS)

run: install
	$(VENV)/bin/opstap run --demo

test: install-test browser
	$(PY) -m pytest $(PYTEST_ARGS)

# The load and fault runs (bench/load.py; long, outside the suite): PostgreSQL's server tools and locust.
load: install-test
	$(VENV)/bin/pip install --quiet -e '.[bench]'
	.ci/postgres.sh >/dev/null
	$(PY) -m bench.load

install: $(VENV)/.installed-run node_modules/.installed $(HTMX) $(GOVUK_JS) $(THEME_CSS)

install-test: install $(VENV)/.installed-test

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed-run
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

$(HTMX): node_modules/.installed
	mkdir -p $(dir $@)
	cp node_modules/htmx.org/dist/htmx.min.js $@

# The design system: GOV.UK Frontend's JavaScript as shipped, and its Sass compiled with Opstap's theme.
$(GOVUK_JS): node_modules/.installed
	mkdir -p $(dir $@)
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $@

$(THEME_CSS): node_modules/.installed $(wildcard web/static/scss/*.scss)
	mkdir -p $(dir $@)
	node_modules/.bin/sass --load-path=node_modules --style=compressed --no-source-map --quiet-deps \
	  web/static/scss/opstap.scss $@

# Debian's Chromium for the Playwright tests (Playwright cannot download its own browser here).
browser:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

# Extract every translatable text and merge it into the Dutch and French catalogues.
translations: install-test
	$(VENV)/bin/pybabel extract -F babel.cfg -k N_ -k tr -k rule_text --no-location --sort-output -o web/locale/messages.pot .
	for lang in nl fr; do \
	  if [ -f web/locale/$$lang/LC_MESSAGES/messages.po ]; then \
	    $(VENV)/bin/pybabel update --no-fuzzy-matching -i web/locale/messages.pot -d web/locale -l $$lang; \
	  else $(VENV)/bin/pybabel init -i web/locale/messages.pot -d web/locale -l $$lang; fi; \
	done

lint: install-test
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) node_modules web/static/vendor var
