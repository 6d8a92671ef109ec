# The two commands of README.md. Each creates .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install install-test browser translations clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# The background worker (mail, digests, suggestion refreshes) runs beside the web server and stops with it.
run: install
	$(BIN)/exchange demo
	@$(BIN)/exchange worker & WORKER=$$!; \
	  trap 'kill $$WORKER 2>/dev/null; wait $$WORKER 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/exchange run --host 127.0.0.1 --port 5000

# Browser tests drive Debian's Chromium (Playwright's own browser download does not work here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "chromium could not be installed: browser tests will be skipped (they fail under CI=true)"; }

test: install-test browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# After changing a user-facing message: refresh the English catalog, translate, compile (the .mo is committed).
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k Msg -k _l -k lazy_gettext --no-location --sort-output \
	  -o $(VENV)/messages.pot .
	$(BIN)/pybabel update -i $(VENV)/messages.pot -d exchange/translations --no-fuzzy-matching
	$(BIN)/pybabel compile -d exchange/translations

clean:
	rm -rf $(VENV) instance .pytest_cache
