"""`make bench-large`: SPEC §9's large workload (x100) over real HTTP, on PostgreSQL or SQLite.

100,000 articles of about 5,000 characters over 5,000 events (the largest with 500 articles,
one from each of 500 outlets), 20 claims each: 2,000,000 claims. Unlike the standard
workload's small vocabulary, sentences here name people from a long-tailed list (as real
reporting does), and one article in fifty is in Persian, so that search is measured on words
of every frequency and in both scripts.

Loading: `flask import` of the articles (JSONL), the first 20,000 claims through the API (4
clients), the rest through `flask import-claims`. Then, against gunicorn with 2 workers, the
figures of issue 14's table: claim create, the article page and API, search with filters,
where-else, every list's pages, the 500-article event's pages warm, the JSONL export of all
claims with the workers' RSS, and the workers' RSS at the end. The result has the shape of
`make bench`'s (bench/results/<date>-<db>-x<scale>.json), with `figures.load` for the loading.

Everything scales with --scale (100 = the large workload; 10 is a 10-minute rehearsal).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import itertools
import json
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote_plus

from bench import workload as wl
from bench.run import (
    RESULTS,
    REVIEWER,
    app_env,
    flask,
    fresh_database,
    latency,
    log,
    machine_facts,
    run_clients,
)
from bench.server import Client, RssSampler, Server

API_CLAIMS = 20_000  # claims created through the API; the rest arrive by import-claims

# (figure, comparison, PostgreSQL target, SQLite target, unit): issue 14's table.
TARGETS = [
    ("claim_create_1.p95_ms", "<=", 15, 12, "ms"),
    ("article_page.p95_ms", "<=", 30, 30, "ms"),
    ("article_api.p95_ms", "<=", 30, 30, "ms"),
    ("search.p95_ms", "<=", 100, 100, "ms"),
    ("where_else.p95_ms", "<=", 100, 100, "ms"),
    ("lists.p95_ms", "<=", 50, 50, "ms"),
    ("large_event.event_page.p95_ms", "<=", 300, 300, "ms"),
    ("large_event.compare.p95_ms", "<=", 300, 300, "ms"),
    ("large_event.matrix.p95_ms", "<=", 300, 300, "ms"),
    ("large_event.agreement.p95_ms", "<=", 300, 300, "ms"),
    ("export_all.seconds", "<=", 40, 40, "s"),
    ("export_all.rss_growth_mb", "<=", 50, 50, "MB"),
    ("rss.end_mb", "<=", 200, 200, "MB"),
]

_SYLLABLES = tuple(
    [
        "ka",
        "ri",
        "mo",
        "na",
        "se",
        "li",
        "ta",
        "ro",
        "da",
        "mi",
        "ha",
        "za",
        "be",
        "lo",
        "fa",
        "ne",
        "gu",
        "ra",
        "ti",
        "so",
        "ma",
        "ke",
        "vi",
        "du",
        "sha",
        "ba",
        "ne",
        "ja",
        "la",
        "po",
        "ri",
        "an",
        "el",
        "ar",
        "om",
        "us",
        "ik",
        "ev",
    ]
)
_PERSIAN_WORDS = tuple(
    [
        "گروه",
        "گفت",
        "که",
        "ساکنان",
        "کمپ",
        "لیبرتی",
        "به",
        "آلبانی",
        "رفتند",
        "و",
        "مقامات",
        "عراقی",
        "این",
        "انتقال",
        "را",
        "تأیید",
        "کردند",
        "سازمان",
        "ملل",
        "نگرانی",
        "خود",
        "را",
        "درباره",
        "وضعیت",
        "انسانی",
        "اعلام",
        "کرد",
        "خانواده\u200cها",
        "می\u200cگویند",
        "که",
        "هنوز",
        "خبری",
        "ندارند",
        "نمایندگان",
        "در",
        "تیرانا",
        "گفتند",
        "این",
        "مرحله",
        "پایانی",
        "است",
        "گزارش\u200cها",
        "نشان",
        "می\u200cدهد",
    ]
)


def _name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()


@dataclass
class Shape:
    """The workload's counts at a scale."""

    scale: float
    articles: int
    events: int
    outlets: int
    largest_event: int

    @classmethod
    def at(cls, scale: float) -> Shape:
        return cls(
            scale,
            articles=round(wl.ARTICLES * scale),
            events=round(wl.EVENTS * scale),
            outlets=max(wl.OUTLETS, round(5 * scale)),
            largest_event=max(12, round(5 * scale)),
        )

    @property
    def claims(self) -> int:
        return self.articles * wl.CLAIMS_PER_ARTICLE


@dataclass
class Stored:
    """What the run keeps of each article: enough to find it and tag it again."""

    url: str
    content_hash: str
    event: int
    length: int
    persian: bool


class Generator:
    """Writes the articles and claims files in one pass, keeping only `Stored` per article."""

    def __init__(self, shape: Shape, seed: int) -> None:
        self.shape, self.seed = shape, seed
        rng = random.Random(f"{seed}:names")
        firsts = [_name(rng, 2) for _ in range(2000)]
        lasts = [_name(rng, rng.randint(2, 4)) for _ in range(20000)]
        self.people = [f"{a} {b}" for a, b in zip(firsts * 10, lasts, strict=True)]
        # Zipf-like: person k is named about 1/k as often as the first.
        self.weights = list(itertools.accumulate(1 / (k + 1) for k in range(len(self.people))))
        self.outlets = {
            f"Outlet {i + 1:03d}": wl.LEANS[i % len(wl.LEANS)] for i in range(shape.outlets)
        }
        self.events = [f"Event {i + 1:04d}: relocation round {i + 1}" for i in range(shape.events)]
        self.stored: list[Stored] = []
        self.claims_by_article: list[list[tuple[int, int, str]]] = []

    def event_of(self, key: int) -> int:
        """The largest event first, then one each of the comparison sizes, then round-robin."""
        if key < self.shape.largest_event:
            return 0
        key -= self.shape.largest_event
        for index, size in enumerate(wl.COMPARISON_SIZES, start=1):
            if key < size:
                return index
            key -= size
        first = len(wl.COMPARISON_SIZES) + 1
        return first + key % (self.shape.events - first)

    def sentence(self, rng: random.Random, day: date) -> str:
        base = wl._sentence(rng, day)
        if rng.random() < 0.6:
            person = rng.choices(self.people, cum_weights=self.weights)[0]
            base = base[:-1] + f", {rng.choice(('said', 'according to', 'wrote'))} {person}."
        return base

    def persian_sentence(self, rng: random.Random) -> str:
        words = rng.sample(_PERSIAN_WORDS, rng.randint(8, 16))
        return " ".join(words) + f" {rng.randint(2, 900)} نفر."

    def text(self, rng: random.Random, day: date, persian: bool) -> tuple[str, list]:
        if persian:
            return wl._text(rng, day, wl.TEXT_CHARS, lambda r, _day: self.persian_sentence(r))
        return wl._text(rng, day, wl.TEXT_CHARS, self.sentence)

    def write(self, articles_path: Path, claims_path: Path) -> None:
        rng = random.Random(self.seed)
        names = list(self.outlets)
        first_day = date(2012, 1, 1)
        with (
            articles_path.open("w", encoding="utf-8") as articles,
            claims_path.open("w", encoding="utf-8") as claims,
        ):
            for key in range(self.shape.articles):
                event = self.event_of(key)
                outlet = names[key % len(names)]
                day = first_day + timedelta(days=rng.randrange(0, 5 * 365))
                persian = key % 50 == 49
                text, sentences = self.text(rng, day, persian)
                url = f"https://bench.example/{key + 1}"
                record = {
                    "outlet": outlet,
                    "outlet_lean": self.outlets[outlet],
                    "title": f"{outlet} on {self.events[event]} (piece {key + 1})",
                    "text": text,
                    "url": url,
                    "stance": rng.choice(wl.STANCES),
                    "published": day.isoformat(),
                    "events": [self.events[event]],
                    "author": f"Reporter {key % 37}",
                }
                articles.write(json.dumps(record, ensure_ascii=False) + "\n")
                content_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
                chosen = sorted(rng.sample(range(len(sentences)), wl.CLAIMS_PER_ARTICLE))
                spans = [(s, e, rng.choice(wl.LABELS)) for s, e in (sentences[i] for i in chosen)]
                self.stored.append(Stored(url, content_hash, event, len(text), persian))
                if key * wl.CLAIMS_PER_ARTICLE < API_CLAIMS:
                    tagged = [(s, e, text[s:e], label) for s, e, label in spans]
                    self.claims_by_article.append(tagged)
                    continue
                for start, end, label in spans:
                    claims.write(
                        json.dumps(
                            {
                                "article_url": url,
                                "article_content_hash": content_hash,
                                "start": start,
                                "end": end,
                                "quote": text[start:end],
                                "author": REVIEWER,
                                "assessments": [{"reviewer": REVIEWER, "label": label}],
                            },
                            ensure_ascii=False,
                        )
                        + "\n"
                    )


class LargeRun:
    def __init__(self, kind: str, shape: Shape, seed: int, folder: Path) -> None:
        self.kind, self.shape, self.seed, self.folder = kind, shape, seed, folder
        self.figures: dict = {"load": {}}
        self.rng = random.Random(f"{seed}:measure")
        self.created = 0  # claims made by the latency samples, past the workload's

    @contextlib.contextmanager
    def serving(self, env: dict) -> Iterator[None]:
        """gunicorn started, the clients logged in and every article's id mapped; on leaving,
        the workers' RSS read and the server stopped."""
        token = flask(env, "create-token", REVIEWER)[0].strip()
        self.server = Server(env)
        self.server.start()
        try:
            self.api = Client(self.server.port, token)
            self.page = Client(self.server.port)
            self.page.login("bench-admin", "bench-password")
            self.map_ids()
            yield
            time.sleep(1)  # let the workers settle before reading their memory
            self.figures["rss"] = {"end_mb": round(max(self.server.worker_rss()), 1)}
        finally:
            self.server.stop()

    def measure_loaded(self, url: str) -> None:
        """Measure a database this workload was already loaded into (same scale and seed):
        the figures without the hour of loading. The loading figures are left out."""
        env = app_env(url)
        self.gen = Generator(self.shape, self.seed)
        self.gen.write(self.folder / "articles.jsonl", self.folder / "claims.jsonl")
        with self.serving(env):
            total = int(self.api.get("/api/v1/export/count").json()["count"])
            self.created = total - self.shape.claims
            self.measure()

    def execute(self, url: str) -> None:
        env = app_env(url)
        load = self.figures["load"]
        started = time.perf_counter()
        log(f"generating {self.shape.articles:,} articles and {self.shape.claims:,} claims")
        self.gen = Generator(self.shape, self.seed)
        articles_path, claims_path = self.folder / "articles.jsonl", self.folder / "claims.jsonl"
        self.gen.write(articles_path, claims_path)
        load["generate_s"] = round(time.perf_counter() - started, 1)
        flask(env, "db", "upgrade")
        log(f"flask import {self.shape.articles:,} articles")
        _, wall = flask(env, "import", str(articles_path))
        load["import_articles_s"] = round(wall, 1)
        load["articles_per_s"] = round(self.shape.articles / wall)
        flask(env, "create-user", REVIEWER, "--role", "reviewer", stdin="bench-password\n")
        flask(env, "create-user", "bench-admin", "--role", "admin", stdin="bench-password\n")
        with self.serving(env):
            loading = time.perf_counter()
            self.create_api_claims()
            load["api_claims_s"] = round(time.perf_counter() - loading, 1)
            log(f"flask import-claims: {self.shape.claims - API_CLAIMS:,} claims")
            _, wall = flask(env, "import-claims", str(claims_path))
            load["import_claims_s"] = round(wall, 1)
            load["claims_per_s"] = round((self.shape.claims - API_CLAIMS) / wall)
            load["total_s"] = round(time.perf_counter() - started, 1)
            self.measure()

    # -- loading

    def map_ids(self) -> None:
        """Every article's id by its URL, through the API's pages."""
        self.ids: dict[str, int] = {}
        offset = 0
        while True:
            page = self.api.get(f"/api/v1/articles?limit=1000&offset={offset}").json()
            if not page:
                break
            self.ids.update({a["url"]: a["id"] for a in page})
            offset += len(page)
        first = self.api.get(f"/api/v1/articles/{self.ids[self.gen.stored[0].url]}").json()
        self.largest_event = first["events"][0]
        self.outlet_ids = [o["id"] for o in self.api.get("/api/v1/outlets?limit=100").json()]

    def create_api_claims(self) -> None:
        jobs = []
        for stored, spans in zip(self.gen.stored, self.gen.claims_by_article, strict=False):
            jobs += [(self.ids[stored.url], span) for span in spans]
        log(f"creating {len(jobs):,} claims through the API (4 clients)")

        def create(job) -> float:
            article_id, (start, end, quote, label) = job
            response = self.api.post(
                f"/api/v1/articles/{article_id}/claims",
                {"start": start, "end": end, "quote": quote, "label": label},
            )
            if response.status != 201:
                raise RuntimeError(f"claim create: HTTP {response.status} {response.body[:300]}")
            return response.seconds

        latencies, wall = run_clients(4, jobs, create)
        self.figures["claim_create_4"] = latency(latencies) | {
            "requests_per_s": round(len(latencies) / wall)
        }

    # -- measuring

    def timed(self, client: Client, paths: list[str], warm: bool = True) -> dict:
        if warm:
            for path in paths[:3]:
                client.get(path)
        samples, size = [], 0
        for path in paths:
            response = client.get(path)
            if response.status != 200:
                raise RuntimeError(f"GET {path}: HTTP {response.status} {response.body[:300]}")
            samples.append(response.seconds)
            size = len(response.body)
        return latency(samples) | {"bytes": size}

    def n(self, full: int) -> int:
        return max(20, round(full * min(1.0, self.shape.scale / 100)))

    def measure(self) -> None:
        reads = self.n(300)
        api_tagged = [self.ids[s.url] for s in self.gen.stored[: len(self.gen.claims_by_article)]]
        picks = [self.rng.choice(api_tagged) for _ in range(reads)]
        steps = [
            ("claim_create_1", lambda: self.sample_create(self.n(500))),
            ("article_page", lambda: self.timed(self.page, [f"/articles/{a}" for a in picks])),
            (
                "article_api",
                lambda: self.timed(self.api, [f"/api/v1/articles/{a}" for a in picks]),
            ),
            ("search", lambda: self.measure_search(reads)),
            ("where_else", lambda: self.measure_where_else(max(20, reads // 3))),
            ("lists", self.measure_lists),
            ("large_event", self.measure_large_event),
        ]
        for name, step in steps:
            started = time.perf_counter()
            self.figures[name] = step()
            log(f"{name}: {_brief(self.figures[name])} ({time.perf_counter() - started:.0f} s)")
        log(f"JSONL export of all {self.shape.claims:,} claims")
        with RssSampler(self.server) as sampler:
            response = self.api.download("/api/v1/export/claims?format=jsonl")
        if response.status != 200:
            raise RuntimeError(f"export: HTTP {response.status}")
        records = response.lines
        expected = self.shape.claims + self.created
        if records != expected:
            raise RuntimeError(f"the export holds {records:,} records, not {expected:,}")
        last = json.loads(response.last_line())
        if not {"claim_id", "quote", "article_id"} <= last.keys():
            raise RuntimeError(f"the export's last record is cut short: {response.tail[-300:]!r}")
        self.figures["export_all"] = _export_figures(records, response, sampler)
        log(f"Parquet export of all {records:,} claims")
        with RssSampler(self.server) as sampler:
            response = self.api.download("/api/v1/export/claims?format=parquet")
        if response.status != 200 or not response.tail.endswith(b"PAR1"):
            raise RuntimeError(f"Parquet export: HTTP {response.status}, or no Parquet footer")
        self.figures["export_parquet"] = _export_figures(records, response, sampler)

    def sample_create(self, count: int) -> dict:
        samples = []
        taken = set()
        for _ in range(count):
            while True:
                key = self.rng.randrange(len(self.gen.claims_by_article))
                stored = self.gen.stored[key]
                start, end, quote, _ = self.rng.choice(self.gen.claims_by_article[key])
                # A fresh span inside a tagged sentence: its first words.
                cut = quote.find(" ", len(quote) // 2)
                span = (key, start, start + cut)
                if cut > 0 and span not in taken:
                    taken.add(span)
                    break
            response = self.api.post(
                f"/api/v1/articles/{self.ids[stored.url]}/claims",
                {"start": start, "end": start + cut, "quote": quote[:cut], "label": "contested"},
            )
            if response.status != 201:
                raise RuntimeError(f"claim create: HTTP {response.status} {response.body[:300]}")
            samples.append(response.seconds)
            self.created += 1
        return latency(samples)

    def search_queries(self) -> list[str]:
        """Words of every frequency, a phrase, Persian, with and without filters."""
        people = self.gen.people
        outlet = self.outlet_ids[0] if self.outlet_ids else 1
        plain = [
            f"q={quote_plus(people[self.rng.randrange(5, 2000)].split()[1])}",
            f"q={quote_plus(people[self.rng.randrange(0, 50)])}",
            "q=" + quote_plus('"the missile attack"'),
            "q=" + quote_plus("relocation Tirana"),
            "q=" + quote_plus("لیبرتی"),
            "q=" + quote_plus("خانواده‌ها آلبانی"),
        ]
        filters = [
            "",
            f"&outlet={outlet}",
            "&stance=critical",
            "&from=2013-01-01&to=2013-12-31",
            "&label=contested",
            f"&event={self.largest_event}",
        ]
        return [f"/api/v1/search?{q}{f}" for q in plain for f in filters]

    def measure_search(self, count: int) -> dict:
        queries = self.search_queries()
        paths = [queries[i % len(queries)] for i in range(count)]
        figure = self.timed(self.api, paths)
        found = [len(self.api.get(q).json()["hits"]) for q in queries]
        return figure | {"queries": len(queries), "queries_with_hits": sum(1 for n in found if n)}

    def measure_where_else(self, count: int) -> dict:
        claims = self.api.get(
            f"/api/v1/export/claims?format=json&article={self.ids[self.gen.stored[1].url]}"
        ).json()
        first_ids = [c["claim_id"] for c in claims]
        paths = [f"/api/v1/claims/{self.rng.choice(first_ids)}/where-else" for _ in range(count)]
        return self.timed(self.api, paths)

    def measure_lists(self) -> dict:
        """First, a middle and the last page of every list, pages and API alike."""
        paths = []
        for base, total, size in (
            ("/", self.shape.events, 50),
            ("/outlets", self.shape.outlets, 50),
            ("/articles", self.shape.articles, 50),
        ):
            last = max(1, -(-total // size))
            paths += [f"{base}?page={p}" for p in (1, max(1, last // 2), last)]
        api = []
        for base in ("/api/v1/events", "/api/v1/outlets", "/api/v1/articles"):
            api += [f"{base}?limit=50", f"{base}?limit=50&offset=200"]
        pages = self.timed(self.page, paths * max(1, self.n(120) // len(paths)))
        calls = self.timed(self.api, api * max(1, self.n(120) // len(api)))
        samples_p95 = max(pages["p95_ms"], calls["p95_ms"])
        return {"pages": pages, "api": calls, "p95_ms": samples_p95}

    def measure_large_event(self) -> dict:
        event = self.largest_event
        figures = {}
        for key, path, client in (
            ("event_page", f"/events/{event}", self.page),
            ("compare", f"/events/{event}/compare", self.page),
            ("compare_api", f"/api/v1/events/{event}/comparison", self.api),
            ("matrix", f"/events/{event}/matrix", self.page),
            ("agreement", f"/events/{event}/agreement", self.page),
        ):
            first = client.get(path)
            if first.status != 200:
                raise RuntimeError(f"GET {path}: HTTP {first.status} {first.body[:300]}")
            figures[key] = self.timed(client, [path] * max(5, self.n(10))) | {
                "cold_ms": round(first.seconds * 1000, 1)
            }
        figures["articles"] = self.shape.largest_event
        return figures


def _brief(figure: dict) -> str:
    if "p95_ms" in figure:
        return f"p50 {figure.get('p50_ms', '-')} / p95 {figure['p95_ms']} ms"
    return ", ".join(f"{k} {_brief(v)}" for k, v in figure.items() if isinstance(v, dict))


def verdicts(kind: str, figures: dict) -> list[dict]:
    from bench.run import lookup

    rows = []
    for path, op, pg_target, sqlite_target, unit in TARGETS:
        goal = pg_target if kind == "postgresql" else sqlite_target
        value = lookup(figures, path)
        ok = value is not None and (value <= goal if op == "<=" else value >= goal)
        rows.append({"figure": path, "value": value, "target": f"{op} {goal:g} {unit}", "ok": ok})
    return rows


def _export_figures(records: int, response, sampler) -> dict:
    """An export's figures: its time and size, and the serving worker's memory meanwhile."""
    return {
        "claims": records,
        "seconds": round(response.seconds, 2),
        "mb": round(response.size / 1e6, 1),
        "peak_rss_mb": round(sampler.peak_mb, 1),
        "rss_growth_mb": round(sampler.growth_mb, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.large", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--scale", type=float, default=100, help="100 = SPEC §9's large workload")
    parser.add_argument("--db", default="postgresql", help="postgresql, sqlite or both")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--loaded",
        metavar="URL",
        help="measure this database, already loaded with the workload (skips the loading)",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.scale <= 100:
        parser.error("--scale must be between 1 and 100")
    kinds = [k.strip() for k in args.db.split(",") if k.strip()]
    if not kinds or set(kinds) - {"sqlite", "postgresql"}:
        parser.error("--db takes postgresql, sqlite or both")
    shape = Shape.at(args.scale)
    facts = machine_facts(kinds)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC)
    for kind in kinds:
        print(f"\n# {kind}, scale {args.scale:g}", file=sys.stderr, flush=True)
        started = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="parallax-bench-large-") as tmp:
            run = LargeRun(kind, shape, args.seed, Path(tmp))
            if args.loaded:
                run.measure_loaded(args.loaded)
            else:
                with fresh_database(kind, Path(tmp)) as url:
                    run.execute(url)
        result = {
            "date": stamp.isoformat(timespec="seconds"),
            "database": kind,
            "scale": args.scale,
            "seed": args.seed,
            "machine": facts,
            "workload": {
                "articles": shape.articles,
                "events": shape.events,
                "outlets": shape.outlets,
                "claims": shape.claims,
                "largest_event": shape.largest_event,
            },
            "figures": run.figures,
            "curves": {},
            "seconds": round(time.perf_counter() - started, 1),
        }
        result["targets"] = verdicts(kind, run.figures)
        path = args.out / f"{stamp:%Y-%m-%d}-{kind}-x{args.scale:g}.json"
        path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(report(kind, result))
        print(f"\n({kind} took {result['seconds']} s; written to {path})", flush=True)
    return 0


def report(kind: str, result: dict) -> str:
    f = result["figures"]
    lines = [f"\n## {kind}: scale {result['scale']:g}, {result['workload']['claims']:,} claims"]
    load = f["load"]
    lines.append("loading: not measured (--loaded)" if not load else "")
    if load:
        lines.append(
            f"loading: generate {load['generate_s']} s, import {load['import_articles_s']} s "
            f"({load['articles_per_s']}/s), API claims {load['api_claims_s']} s, import-claims "
            f"{load['import_claims_s']} s ({load['claims_per_s']}/s), total {load['total_s']} s"
        )
    for row in result["targets"]:
        mark = "ok  " if row["ok"] else "MISS"
        lines.append(f"  {mark} {row['figure']:34} {row['value']!s:>10}  {row['target']}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
