"""The one place settings are read: defaults, then instance/config.py, then the environment."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask

from app.vocabulary import DEFAULT_LABELS, DEFAULT_STANCES, check_configuration


def normalize_database_url(url: str) -> str:
    """Point postgres URLs at psycopg 3, whatever spelling the operator used."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _instance_secret_key(instance: Path) -> str:
    """Read the signing secret from instance/, generating it (mode 600) on first run."""
    path = instance / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()


def load_config(app: Flask, test_config: dict | None = None) -> None:
    """Fill app.config from defaults, instance/config.py, the environment and test_config."""
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{instance / 'parallax.sqlite'}",
        SEEDS_DIR=str(Path(app.root_path).parent / "seeds"),
        PARALLAX_LABELS=DEFAULT_LABELS,
        PARALLAX_STANCES=DEFAULT_STANCES,
        MAX_CONTENT_LENGTH=10 * 1024 * 1024,
        MAX_FORM_MEMORY_SIZE=10 * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_DURATION=timedelta(days=30),
        # PARALLAX_HTTPS: the app is served over HTTPS (behind a proxy that terminates TLS,
        # say): cookies are then sent over HTTPS only.
        PARALLAX_HTTPS=False,
        # PARALLAX_TRUSTED_PROXIES: how many proxies in front of the app set X-Forwarded-For
        # (and -Proto, -Host). 0, the default, ignores those headers: a client could forge
        # them to escape the rate limits.
        PARALLAX_TRUSTED_PROXIES=0,
        WTF_CSRF_TIME_LIMIT=None,
        RATELIMIT_STORAGE_URI="memory://",
        RATELIMIT_HEADERS_ENABLED=True,
        LOGIN_RATE_LIMIT="10 per minute",
        # Failed logins per account name from one address: then 429 for that pair only.
        ACCOUNT_LOGIN_RATE_LIMIT="10 per 10 minutes",
        # Failed logins per account name from all addresses together, beyond which each
        # attempt on the name is answered LOGIN_SLOWDOWN_SECONDS later (never refused).
        ACCOUNT_LOGIN_SLOWDOWN="20 per 10 minutes",
        LOGIN_SLOWDOWN_SECONDS=2.0,
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        if url := os.environ.get("DATABASE_URL"):
            app.config["SQLALCHEMY_DATABASE_URI"] = url
        if key := os.environ.get("SECRET_KEY"):
            app.config["SECRET_KEY"] = key
        if storage := os.environ.get("RATELIMIT_STORAGE_URI"):
            app.config["RATELIMIT_STORAGE_URI"] = storage
        if prefix := os.environ.get("RATELIMIT_KEY_PREFIX"):  # several apps on one Redis
            app.config["RATELIMIT_KEY_PREFIX"] = prefix
        if https := os.environ.get("PARALLAX_HTTPS"):
            app.config["PARALLAX_HTTPS"] = https.lower() in {"1", "true", "yes", "on"}
        if proxies := os.environ.get("PARALLAX_TRUSTED_PROXIES"):
            app.config["PARALLAX_TRUSTED_PROXIES"] = int(proxies)
        for key in ("PARALLAX_LABELS", "PARALLAX_STANCES"):  # "supporting,contested,..."
            if names := os.environ.get(key):
                app.config[key] = tuple(n.strip() for n in names.split(",") if n.strip())
    else:
        app.config.update(test_config)
    check_configuration(app.config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(instance)
    if app.config["PARALLAX_HTTPS"]:
        app.config.update(
            SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True, PREFERRED_URL_SCHEME="https"
        )
    app.config["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # The busy timeout lets concurrent writers (gunicorn workers) queue instead of failing.
        options = app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
        options.setdefault("connect_args", {}).setdefault("timeout", 15)
    elif app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # Every query here is a short indexed read or write. PostgreSQL's JIT compiles any
        # query whose estimated cost is high (stale statistics after a bulk import are
        # enough), and compiling took 130 ms for a 7 ms count: off for the app's sessions.
        # psycopg prepares a statement run five times, and after five more PostgreSQL may
        # plan it once for any parameters: a search filtered to one outlet then went from
        # 40 to 100-120 ms, planned without knowing the outlet or the words. Each execution
        # is planned for its own values (a millisecond or two at most).
        options = app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
        options.setdefault("connect_args", {}).setdefault(
            "options", "-c jit=off -c plan_cache_mode=force_custom_plan"
        )
