"""Import the 150 real pages of ../shared/realpages and report how well extraction did.

    .venv/bin/python -m bench.realpages [--dir ../shared/realpages]

The folder goes through the same path as `flask import` (import_articles: pages extracted in
worker processes, stored in order, into a fresh SQLite database). Reported: pages imported
and how fast (app start-up not included), the share of `with` snippets found in the stored
text, the share of `without` snippets kept out, and the metadata that matched.

    .venv/bin/python -m bench.realpages --with-startup [--repeat 3]

times `flask import` itself, start-up included, as a person runs it: a fresh process on a
fresh migrated SQLite database (the migration not timed), the median of --repeat runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import select

from app.extensions import db
from app.models import Article

ROOT = Path(__file__).resolve().parents[1]


def _norm(s: str) -> str:
    return " ".join(s.split()).casefold()


def _same_page(stored: str | None, expected: str) -> bool:
    def key(url: str) -> str:
        parts = urlsplit(url)
        host = parts.netloc.lower().removeprefix("www.")
        return f"{host}{parts.path.rstrip('/')}?{parts.query}"

    return stored is not None and key(stored) == key(expected)


def with_startup(pages: Path, repeat: int) -> None:
    flask = [sys.executable, "-m", "flask", "--app", "app"]
    count = sum(1 for p in pages.iterdir() if p.is_file())
    seconds = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/r.sqlite"}
            subprocess.run([*flask, "db", "upgrade"], env=env, cwd=ROOT, check=True,
                           capture_output=True)  # fmt: skip
            started = time.perf_counter()
            subprocess.run([*flask, "import", str(pages), "--outlet", "Real pages"],
                           env=env, cwd=ROOT, check=True, capture_output=True)  # fmt: skip
            seconds.append(time.perf_counter() - started)
    median = statistics.median(seconds)
    print(
        f"flask import, start-up included: {count} pages in {median:.2f} s "
        f"({count / median:.1f} pages/s), median of {repeat}: "
        + ", ".join(f"{s:.2f}" for s in seconds)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=ROOT.parent / "shared" / "realpages")
    parser.add_argument("--with-startup", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.with_startup:
        with_startup(args.dir / "pages", args.repeat)
        return
    from app import create_app
    from app.cli.corpus import import_articles
    from app.services.exchange.importing import Defaults

    expected = json.loads((args.dir / "expected.json").read_text())
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/r.sqlite", "SECRET_KEY": "x"}
        )
        with app.app_context():
            db.create_all()
            found = kept_out = with_total = without_total = 0
            imported = titles = authors = dates = urls = urls_same = urls_any = 0
            titled = authored = dated = urled = 0
            failed: list[str] = []
            started = time.perf_counter()
            report = import_articles([args.dir / "pages"], Defaults(outlet="Real pages"))
            seconds = time.perf_counter() - started
            ids = {Path(source).name: article_id for source, article_id in report.imported}
            reasons = {Path(source).name: reason for source, reason in report.failed}
            for record in expected:
                if record["file"] not in ids:
                    failed.append(f"{record['file']}: {reasons.get(record['file'])}")
                    continue
                imported += 1
                article = db.session.scalar(
                    select(Article).where(Article.id == ids[record["file"]])
                )
                text = _norm(article.text + "\n" + article.title)
                with_total += len(record.get("with", []))
                without_total += len(record.get("without", []))
                found += sum(_norm(s) in text for s in record.get("with", []))
                kept_out += sum(_norm(s) not in text for s in record.get("without", []))
                if record.get("title"):
                    titled += 1
                    titles += _norm(record["title"]) == _norm(article.title)
                if record.get("author"):
                    authored += 1
                    authors += _norm(record["author"]) == _norm(article.author or "")
                if record.get("date"):
                    dated += 1
                    dates += str(article.published or "") == record["date"][:10]
                if record.get("url", "").startswith("http"):  # "hard::...": none stated
                    urled += 1
                    urls += (article.url or "") == record["url"]
                    urls_same += _same_page(article.url, record["url"])
                    urls_any += article.url is not None
            db.session.remove()
            db.engine.dispose()

    def rate(n: int, d: int) -> str:
        return f"{n}/{d} ({100 * n / d:.1f}%)" if d else "n/a"

    print(
        f"pages imported      {rate(imported, len(expected))} in {seconds:.1f} s "
        f"({len(expected) / seconds:.1f} pages/s)"
    )
    print(f"'with' snippets     {rate(found, with_total)}")
    print(f"'without' kept out  {rate(kept_out, without_total)}")
    print(f"title exact         {rate(titles, titled)}")
    print(f"author exact        {rate(authors, authored)}")
    print(f"date exact          {rate(dates, dated)}")
    print(f"url exact           {rate(urls, urled)}")
    print(f"url same page       {rate(urls_same, urled)}  (scheme, www. and a last / aside)")
    print(f"url stored at all   {rate(urls_any, urled)}")
    for line in failed:
        print(f"  not imported: {line}")


if __name__ == "__main__":
    main()
