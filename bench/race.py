"""Eight reviewers on gunicorn for a minute, deletes racing edits: no 5xx, no lost write.

    python -m bench.race [--db postgresql|sqlite] [--seconds 60] [--reviewers 8]

Each reviewer, in a loop: tags a span of the shared article, labels claims (its own and the
others'), edits its labels with the version it last saw, and deletes claims it wrote, all
through the API as fast as the server answers. Every answer must be 2xx, 404 or 409. At the
end, every claim still stored must hold, for each reviewer, exactly the label of that
reviewer's last successful save (only they write their assessment, so anything else is a
lost write), and no deleted claim may have left an assessment behind.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import sys
import tempfile
import threading
import time
import uuid

import psycopg

from bench.run import flask
from bench.server import Client, Server

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
TEXT = " ".join(f"Sentence {n} says the camp residents moved on day {n}." for n in range(200))
LABELS = ("supporting", "contested", "unsourced")
HOT = 3


def database(kind: str, folder: str) -> tuple[str, callable]:
    if kind == "sqlite":
        return f"sqlite:///{folder}/race.sqlite", lambda: None
    name = f"parallax_race_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"postgresql://postgres@127.0.0.1:5432/{name}", drop


class Reviewer(threading.Thread):
    def __init__(self, name, port, token, article_id, stop, claims, lock):
        super().__init__(daemon=True)
        self.name, self.client = name, Client(port, token)
        self.article_id, self.stop, self.claims, self.lock = article_id, stop, claims, lock
        self.statuses: collections.Counter = collections.Counter()
        self.last_label: dict[int, tuple[str, int]] = {}  # claim -> (label, version)
        self.mine: list[int] = []
        self.errors: list[str] = []

    def call(self, method, path, body=None):
        response = self.client.request(method, f"/api/v1{path}", body=body)
        self.statuses[response.status] += 1
        if response.status >= 500 or response.status in (400, 401, 403, 422):
            self.errors.append(f"{method} {path} -> {response.status} {response.body[:200]!r}")
        return response

    def run(self):
        rng = random.Random(self.name)
        while not self.stop.is_set():
            roll = rng.random()
            with self.lock:  # the newest few claims: every save races the others and deletes
                pool = sorted(self.claims)[-HOT:]
            if roll < 0.25 or not pool:
                start = rng.randrange(0, len(TEXT) - 40)
                end = start + rng.randrange(5, 40)
                body = {"start": start, "end": end, "quote": TEXT[start:end], "label": "supporting"}
                response = self.call("POST", f"/articles/{self.article_id}/claims", body)
                if response.status == 201:
                    claim = response.json()
                    self.last_label[claim["id"]] = ("supporting", 1)
                    self.mine.append(claim["id"])
                    with self.lock:
                        self.claims.add(claim["id"])
            elif roll < 0.4 and self.mine:
                claim_id = self.mine.pop(rng.randrange(len(self.mine)))
                response = self.call("DELETE", f"/claims/{claim_id}")
                if response.status in (204, 404):
                    with self.lock:
                        self.claims.discard(claim_id)
                    self.last_label.pop(claim_id, None)
            else:
                claim_id = rng.choice(pool)
                label = rng.choice(LABELS)
                known = self.last_label.get(claim_id)
                if known:
                    body = {"label": label, "version": known[1]}
                    response = self.call("PATCH", f"/claims/{claim_id}", body)
                else:
                    response = self.call("PUT", f"/claims/{claim_id}/assessment", {"label": label})
                if response.status in (200, 201):
                    claim = response.json()
                    mine = (
                        claim
                        if "version" in claim
                        else next(a for a in claim["assessments"] if a["reviewer"] == self.name)
                    )
                    self.last_label[claim_id] = (mine["label"], mine["version"])
                elif response.status == 409:
                    current = response.json().get("current")
                    if current:
                        self.last_label[claim_id] = (current["label"], current["version"])
                elif response.status == 404:
                    self.last_label.pop(claim_id, None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--reviewers", type=int, default=8)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="parallax-race-")
    url, drop = database(args.db, folder)
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "race"}
    try:
        flask(env, "db", "upgrade")
        names = [f"reviewer{n}" for n in range(args.reviewers)]
        tokens = {}
        for name in names:
            flask(env, "create-user", name, "--role", "reviewer", stdin="race-password\n")
            tokens[name] = flask(env, "create-token", name)[0].strip()
        server = Server(env)
        server.start()
        try:
            setup = Client(server.port, tokens[names[0]])
            article = setup.post(
                "/api/v1/articles", {"outlet": "Race", "title": "Race", "text": TEXT}
            ).json()
            stop, lock, claims = threading.Event(), threading.Lock(), set()
            crowd = [
                Reviewer(n, server.port, tokens[n], article["id"], stop, claims, lock)
                for n in names
            ]
            for r in crowd:
                r.start()
            time.sleep(args.seconds)
            stop.set()
            for r in crowd:
                r.join()
            statuses = sum((r.statuses for r in crowd), collections.Counter())
            errors = [e for r in crowd for e in r.errors]
            lost = []
            final = setup.get(f"/api/v1/articles/{article['id']}").json()
            stored = {c["id"]: c for c in final["claims"]}
            for r in crowd:
                for claim_id, (label, version) in r.last_label.items():
                    claim = stored.get(claim_id)
                    if claim is None:
                        continue  # deleted by its author meanwhile
                    got = next((a for a in claim["assessments"] if a["reviewer"] == r.name), None)
                    if got is None or (got["label"], got["version"]) != (label, version):
                        lost.append((r.name, claim_id, (label, version), got and got["label"]))
        finally:
            server.stop()
        total = sum(statuses.values())
        print(
            f"{args.db}: {args.reviewers} reviewers, {args.seconds:.0f} s, {total} requests "
            f"({total / args.seconds:.0f}/s): "
            + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items()))
        )
        print(f"errors (5xx or unexpected 4xx): {len(errors)}; lost writes: {len(lost)}")
        for line in errors[:10] + [str(x) for x in lost[:10]]:
            print("  ", line)
        return 1 if errors or lost else 0
    finally:
        drop()


if __name__ == "__main__":
    sys.exit(main())
