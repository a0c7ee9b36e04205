"""The server under test: gunicorn with 2 workers, as `make serve` runs it, and a client.

Every figure is taken over real HTTP on loopback. Memory is read from /proc: the resident set
of each worker, sampled while a request runs, so a peak during an export is seen.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
WORKERS = 2


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float | None:
    """Resident set size of a process in MB (None once it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


def children(pid: int) -> list[int]:
    """The worker processes of the gunicorn master."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return sorted(found)


@dataclass
class Response:
    status: int
    body: bytes
    seconds: float
    headers: dict[str, str]

    def json(self):
        return json.loads(self.body)


@dataclass
class Download:
    status: int
    size: int  # bytes
    lines: int
    tail: bytes  # the last 64 kB
    seconds: float

    def last_line(self) -> bytes:
        return self.tail.rstrip(b"\n").rsplit(b"\n", 1)[-1]


class Client:
    """One HTTP client: a bearer token for the API, or a session cookie for the pages.

    gunicorn's sync workers close the connection after each response, so every request
    opens its own connection, as a browser's would against this server.
    """

    def __init__(self, port: int, token: str | None = None) -> None:
        self.port, self.token, self.cookie = port, token, None

    def request(self, method: str, path: str, body: object = None, form: dict | None = None):
        headers = {"Host": f"127.0.0.1:{self.port}", "Connection": "close"}
        payload = None
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if self.cookie:
            headers["Cookie"] = self.cookie
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        elif form is not None:
            payload = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        try:
            conn.request(method, path, body=payload, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        elapsed = time.perf_counter() - started
        return Response(response.status, data, elapsed, dict(response.getheaders()))

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def download(self, path: str) -> Download:
        """GET `path` as a client saving a streamed export would: each piece counted as it
        arrives, none kept but the last line. Held whole, the 2.5 GB of the large workload's
        export cost this client seconds of copying and paging, on the core the database
        needed, inside the time measured."""
        headers = {"Host": f"127.0.0.1:{self.port}", "Connection": "close"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        buffer = bytearray(1 << 20)
        size = lines = 0
        tail = b""
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            while read := response.readinto(buffer):
                piece = bytes(buffer[:read])
                size += read
                lines += piece.count(b"\n")
                tail = (tail + piece)[-(1 << 16) :]
        finally:
            conn.close()
        elapsed = time.perf_counter() - started
        return Download(response.status, size, lines, tail, elapsed)

    def post(self, path: str, body: object) -> Response:
        return self.request("POST", path, body=body)

    def login(self, username: str, password: str) -> None:
        """A browser session: the login form, its CSRF token, the session cookie."""
        page = self.get("/login")
        token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page.body)
        cookie = page.headers.get("Set-Cookie", "").split(";", 1)[0]
        if token is None or not cookie:
            raise RuntimeError("the login page has no CSRF token or session cookie")
        self.cookie = cookie
        response = self.request(
            "POST",
            "/login",
            form={"username": username, "password": password, "csrf_token": token[1].decode()},
        )
        if response.status != 302:
            raise RuntimeError(f"login as {username} failed: HTTP {response.status}")
        self.cookie = response.headers["Set-Cookie"].split(";", 1)[0]


class Server:
    """gunicorn, 2 sync workers, started here and stopped afterwards."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.startup_seconds: float | None = None

    def start(self) -> float:
        """Start, and return the seconds from launch to the first answered request."""
        started = time.perf_counter()
        self.process = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "--config",
                "gunicorn.conf.py",
                "--workers",
                str(WORKERS),
                "--bind",
                f"127.0.0.1:{self.port}",
                "app:create_app()",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        client = Client(self.port)
        deadline = started + 60
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.process.stderr.read().decode()}")
            try:
                if client.get("/login").status == 200:
                    self.startup_seconds = time.perf_counter() - started
                    break
            except OSError:
                time.sleep(0.01)
        else:
            raise RuntimeError("gunicorn did not answer within 60 s")
        # Both workers up, not only the first to answer.
        while len(self.workers()) < WORKERS and time.perf_counter() < deadline:
            time.sleep(0.01)
        return self.startup_seconds

    def workers(self) -> list[int]:
        return children(self.process.pid) if self.process else []

    def worker_rss(self) -> list[float]:
        return [r for r in (rss_mb(pid) for pid in self.workers()) if r is not None]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.process and self.process.stderr:
            self.process.stderr.close()


class RssSampler:
    """Samples every worker's RSS every few milliseconds while a block runs."""

    def __init__(self, server: Server, interval: float = 0.005) -> None:
        self.server, self.interval = server, interval
        self.pids = server.workers()
        self.before = {pid: rss_mb(pid) or 0.0 for pid in self.pids}
        self.peak = dict(self.before)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid in self.pids:
                value = rss_mb(pid)
                if value is not None and value > self.peak[pid]:
                    self.peak[pid] = value
            time.sleep(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return max(self.peak.values())

    @property
    def growth_mb(self) -> float:
        """The largest rise of any one worker above where it started."""
        return max(self.peak[pid] - self.before[pid] for pid in self.pids)
