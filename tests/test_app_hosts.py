"""Parallax as several stateless app hosts: two gunicorn instances, on two ports, in front of
one PostgreSQL and one Redis. What a user does on one holds on the other."""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest

from tests.conftest import PG_ADMIN_URL, unavailable

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
TEXT = "The last 280 residents of Camp Liberty left Iraq for Albania on 9 September 2016. " * 4


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Host:
    """One app host: a gunicorn with 2 workers on its own port."""

    def __init__(self, env: dict) -> None:
        self.port = _free_port()
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--config",
                "gunicorn.conf.py",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
                "app:create_app()",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.process.stderr.read().decode())
            try:
                if self.request("GET", "/login")[0] == 200:
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("gunicorn did not answer")

    def request(self, method, path, *, body=None, form=None, headers=None):
        headers = dict(headers or {})
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        elif form is not None:
            payload = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=payload, headers=headers)
            response = conn.getresponse()
            return response.status, response.read(), response.headers
        finally:
            conn.close()

    def stop(self) -> None:
        import signal

        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)
        self.process.stderr.close()


@pytest.fixture(scope="module")
def hosts(tmp_path_factory):
    """Two hosts on one fresh PostgreSQL database and one Redis, with a reviewer and a token."""
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001 - any failure to reach it
        unavailable(f"Redis not reachable at {REDIS_URL}: {exc}")
    name = f"parallax_hosts_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        unavailable(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = re.sub(r"/[^/]*$", f"/{name}", PG_ADMIN_URL)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": secrets.token_hex(32),  # the same on every host
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": f"parallax-test-{uuid.uuid4().hex[:8]}",
    }
    env.pop("FLASK_DEBUG", None)

    def flask(*args: str, stdin: str = "") -> str:
        return subprocess.run(
            [str(BIN / "flask"), "--app", "app", *args],
            cwd=ROOT,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    flask("db", "upgrade")
    flask("seed", "--no-demo")  # outlets a reviewer may add articles to
    flask("create-user", "rana", "--role", "reviewer", stdin="correct horse battery\n")
    flask("create-user", "omid", "--role", "reviewer", stdin="correct horse battery\n")
    token = flask("create-token", "rana").strip()
    a, b = Host(env), Host(env)
    try:
        yield a, b, token
    finally:
        a.stop()
        b.stop()
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _login(host: Host, username: str, password: str):
    status, body, headers = host.request("GET", "/login")
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body)[1].decode()
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    return host.request(
        "POST",
        "/login",
        form={"username": username, "password": password, "csrf_token": token},
        headers={"Cookie": cookie},
    )


def test_a_login_made_on_one_host_works_on_the_other(hosts):
    a, b, _ = hosts
    status, _, headers = _login(a, "omid", "correct horse battery")
    assert status == 302
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    status, body, _ = b.request("GET", "/account", headers={"Cookie": cookie})
    assert status == 200 and b"omid" in body
    # Logging out on B ends the login on A too: the login lives in the database.
    page = b.request("GET", "/account", headers={"Cookie": cookie})[1]
    csrf = re.search(rb'name="csrf-token" content="([^"]+)"', page)[1].decode()
    b.request("POST", "/logout", form={"csrf_token": csrf}, headers={"Cookie": cookie})
    assert a.request("GET", "/account", headers={"Cookie": cookie})[0] == 302


def test_the_login_rate_limit_counts_across_hosts(hosts):
    a, b, _ = hosts
    statuses = [
        _login(a if i % 2 else b, "nobody-rate-limit", "wrong password")[0] for i in range(12)
    ]
    # 10 a minute per address (the login of the test before counts too). Counted per host,
    # each would have seen 6 and refused none; counted together, the 11th is refused.
    assert 429 in statuses, statuses
    first = statuses.index(429)
    assert first <= 10 and set(statuses[:first]) == {401}, statuses
    assert set(statuses[first:]) == {429}, statuses


def test_concurrent_reviewers_on_both_hosts_lose_nothing_and_exports_match(hosts):
    a, b, token = hosts
    auth = {"Authorization": f"Bearer {token}"}
    status, body, _ = a.request(
        "POST",
        "/api/v1/articles",
        body={"outlet": "BackChannels", "title": "T", "text": TEXT},
        headers=auth,
    )
    assert status == 201, body
    article = json.loads(body)["id"]
    spans = [(i * 84, i * 84 + 30) for i in range(4)] + [
        (i * 84 + 4, i * 84 + 40) for i in range(4)
    ]
    failures: list[str] = []
    created: list[int] = []

    def tag(host: Host, start: int, end: int) -> None:
        status, body, _ = host.request(
            "POST",
            f"/api/v1/articles/{article}/claims",
            body={"start": start, "end": end, "quote": TEXT[start:end], "label": "supporting"},
            headers=auth,
        )
        if status == 201:
            created.append(json.loads(body)["id"])
        else:
            failures.append(f"{status} {body[:200]!r}")

    threads = [
        threading.Thread(target=tag, args=(a if i % 2 else b, s, e))
        for i, (s, e) in enumerate(spans)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures and len(created) == len(spans)

    # The same assessment changed on both hosts at once from one version: one wins, the
    # other is told (409), nothing is silently overwritten.
    claim = created[0]
    version = json.loads(a.request("GET", f"/api/v1/claims/{claim}", headers=auth)[1])
    mine = next(x for x in version["assessments"] if x["reviewer"] == "rana")["version"]
    results: list[int] = []

    def relabel(host: Host, label: str) -> None:
        status, _, _ = host.request(
            "PATCH",
            f"/api/v1/claims/{claim}",
            body={"label": label, "version": mine},
            headers=auth,
        )
        results.append(status)

    both = [
        threading.Thread(target=relabel, args=(a, "contested")),
        threading.Thread(target=relabel, args=(b, "unsourced")),
    ]
    for thread in both:
        thread.start()
    for thread in both:
        thread.join()
    assert sorted(results) == [200, 409], results

    from_a = a.request("GET", "/api/v1/export/claims?format=jsonl", headers=auth)
    from_b = b.request("GET", "/api/v1/export/claims?format=jsonl", headers=auth)
    assert from_a[0] == from_b[0] == 200
    assert from_a[1] == from_b[1]
    assert from_a[1].count(b"\n") == len(spans)
