# Parallax: `make run` serves the app on SQLite with the seeds loaded; `make test` runs the suite.
# Each target does all of its own set-up on a fresh machine.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app app
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: install db run serve test lint format clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

db: install
	$(FLASK) db upgrade
	$(FLASK) seed

run: db
	@$(FLASK) ensure-admin
	$(FLASK) run --host $(HOST) --port $(PORT)

# Production-style: gunicorn, 2 workers, still bound to localhost (put a proxy in front).
serve: db
	@$(FLASK) ensure-admin
	$(VENV)/bin/gunicorn --workers 2 --bind $(HOST):$(PORT) 'app:create_app()'

test: db
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
