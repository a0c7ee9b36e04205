# Parallax: `make run` serves the app on SQLite with the seeds loaded; `make test` runs the suite.
# Each target does all of its own set-up on a fresh machine.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app app
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: install db run serve test lint format clean bench bench-quick bench-large bench-browser postgres

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Byte-code written once, here: where PYTHONDONTWRITEBYTECODE is set (as on this machine) every
# process would otherwise compile the app's modules at each start (0.3 s of `flask import`'s 2).
install: $(STAMP)
	@$(PY) -m compileall -q app

db: install
	$(FLASK) db upgrade
	$(FLASK) seed

run: db
	@$(FLASK) ensure-admin
	$(FLASK) run --host $(HOST) --port $(PORT)

# Production-style: gunicorn, 2 workers, still bound to localhost (put a proxy in front).
# Rate-limit counters go to Redis when it answers on 127.0.0.1:6379, so that the limits hold
# across workers (RATELIMIT_STORAGE_URI overrides); otherwise each worker counts alone.
serve: db
	@$(FLASK) ensure-admin
	@storage=memory://; \
	if $(PY) -c "import redis; redis.Redis(host='127.0.0.1', port=6379, socket_timeout=1).ping()" 2>/dev/null; \
	then storage=redis://127.0.0.1:6379/0; fi; \
	export RATELIMIT_STORAGE_URI="$${RATELIMIT_STORAGE_URI:-$$storage}"; \
	echo "Rate-limit counters: $$RATELIMIT_STORAGE_URI"; \
	exec $(VENV)/bin/gunicorn --config gunicorn.conf.py --workers 2 --bind $(HOST):$(PORT) 'app:create_app()'

test: db
	$(PY) -m pytest $(PYTEST_ARGS)

# The SPEC §9 workload on SQLite then PostgreSQL, through gunicorn (2 workers); about 8 min.
# Figures on stdout and in bench/results/. BENCH_ARGS passes options: --db sqlite, --seed N.
bench: install postgres
	$(PY) -m bench $(BENCH_ARGS)
	$(PY) -m bench.interop

# The same at 1/10 scale, within about a minute and a half.
bench-quick: install postgres
	$(PY) -m bench --quick $(BENCH_ARGS)

# SPEC §9's large workload (x100: 100k articles, 2M claims) on PostgreSQL; about an hour.
# BENCH_ARGS="--db postgresql,sqlite" adds SQLite; "--scale 10" is a rehearsal of minutes.
bench-large: install postgres
	$(PY) -m bench.large $(BENCH_ARGS)

# A 1 MB article with 1,000 claims opened and annotated in Debian's Chromium (Playwright).
bench-browser: install
	$(PY) -m bench.browser $(BENCH_ARGS)

# Start the machine's PostgreSQL cluster when it is not answering (the bench needs it).
postgres:
	@pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null || \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | head -n1) main start || \
	  echo "PostgreSQL is not running; use BENCH_ARGS='--db sqlite' to bench SQLite alone."

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
