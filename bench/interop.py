"""Import and export of 20,000 spans in each interchange format, through the CLI's own code,
on a fresh SQLite instance (or PostgreSQL with --db postgresql).

    python -m bench.interop [--spans 20000] [--corpus ../shared/polnear] [--db sqlite]

The spans are PolNeAR's (real brat files: Source, Cue and Content mapped to the three labels),
taken article by article until --spans are reached. They are imported from brat, then
exported in each format; each export is imported into an empty instance and exported again,
and the two exports compared (ids aside). Reported per format: export time and size, import
time, spans per second, and whether the round trip was exact. Figures are medians of
--repeat runs.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ("jsonl", "labelstudio", "doccano", "brat", "webanno", "parquet")
LABEL_MAP = "Source=unsourced,Cue=contested,Content=supporting"
SKIP = "Attribution=skip,Attribution-no-source=skip,Discuss=skip,Discard=skip"


def sample(corpus: Path, spans: int, into: Path) -> int:
    """Copy PolNeAR articles (text, their .ann files, metadata) until `spans` T lines."""
    into.mkdir(parents=True)
    total = 0
    for txt in sorted((corpus / "text").glob("*.txt")):
        anns = sorted((corpus / "attributions").glob(f"{txt.stem}_*.ann"))
        count = sum(
            1
            for ann in anns
            for line in ann.read_text(encoding="utf-8").splitlines()
            if re.match(r"T\d+\t(Source|Cue|Content) ", line)
        )
        shutil.copy(txt, into)
        for ann in anns:
            shutil.copy(ann, into)
        total += count
        if total >= spans:
            break
    shutil.copy(corpus / "metadata.tsv", into)
    return total


def _normalized(path: Path) -> object:
    """An export with its ids taken out, for comparing two."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:  # members in any order, ids aside
            return sorted(
                (re.sub(r"parallax-\d+", "N", n), re.sub(r"parallax-\d+", "N", z.read(n).decode()))
                for n in z.namelist()
            )
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(path).drop(["claim_id", "article_id", "created_at"]).to_pylist()
        for row in table:
            for key in ("assessment_created_at", "assessment_updated_at", "revision_hash"):
                row.pop(key, None)
        return sorted(table, key=json.dumps)
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'"(claim_id|article_id|id|proposition_id)":\s*"?c?\d+"?', r'"\1":0', text)
    text = re.sub(r'"(created_at|updated_at|revision_at)":\s*"[^"]*"', r'"\1":""', text)
    return sorted(re.sub(r"parallax-\d+", "N", text).splitlines())


def _fresh_app(database: str, folder: Path):
    from app import create_app
    from app.extensions import db

    url = f"sqlite:///{folder / 'bench.sqlite'}" if database == "sqlite" else database
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.drop_all()
        db.create_all()
    return app


def run_once(sample_dir: Path, work: Path, database: str) -> dict:
    figures = {}
    app = _fresh_app(database, work / "source")
    runner = app.test_cli_runner()
    started = time.perf_counter()
    result = runner.invoke(
        args=["import-claims", str(sample_dir), "--label-map", LABEL_MAP, "--label-map", SKIP]
    )
    figures["source import s"] = time.perf_counter() - started
    figures["brat import output"] = result.output.strip().splitlines()[-2:]
    for fmt in FORMATS:
        out = work / f"first.{_extension(fmt)}"
        extra = ["--include-text"] if fmt == "jsonl" else []
        started = time.perf_counter()
        runner.invoke(args=["export", "--format", fmt, *extra, "-o", str(out)])
        figures[f"{fmt} export s"] = time.perf_counter() - started
        figures[f"{fmt} size MB"] = out.stat().st_size / 1e6
    for fmt in FORMATS:
        if fmt == "parquet":
            continue  # a format for analysis, not read back
        target = work / f"target-{fmt}"
        target.mkdir()
        other = _fresh_app(database, target)
        other_runner = other.test_cli_runner()
        started = time.perf_counter()
        source = str(work / f"first.{_extension(fmt)}")
        other_runner.invoke(args=["import-claims", "--from", _tool(fmt), source])
        figures[f"{fmt} import s"] = time.perf_counter() - started
        again = work / f"second.{_extension(fmt)}"
        extra = ["--include-text"] if fmt == "jsonl" else []
        other_runner.invoke(args=["export", "--format", fmt, *extra, "-o", str(again)])
        figures[f"{fmt} round trip exact"] = _normalized(again) == _normalized(
            work / f"first.{_extension(fmt)}"
        )
    return figures


def _extension(fmt: str) -> str:
    from app.formats import FORMATS as REGISTRY

    return f"{fmt}.{REGISTRY[fmt].extension}"


def _tool(fmt: str) -> str:
    return "parallax" if fmt == "jsonl" else fmt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spans", type=int, default=20_000)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "polnear")
    parser.add_argument("--db", default="sqlite", help="sqlite, or a PostgreSQL URL")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="parallax-interop-") as tmp:
        spans = sample(args.corpus, args.spans, Path(tmp) / "sample")
        runs = []
        for i in range(args.repeat):
            work = Path(tmp) / f"run{i}"
            (work / "source").mkdir(parents=True)
            runs.append(run_once(Path(tmp) / "sample", work, args.db))
    print(f"{spans} brat spans of PolNeAR (Source, Cue, Content); medians of {args.repeat} runs")
    print("  " + " / ".join(runs[-1]["brat import output"]))
    source = statistics.median(r["source import s"] for r in runs)
    print(f"import of the sample {source:6.2f} s ({spans / source:,.0f} spans/s)")
    for fmt in FORMATS:
        export = statistics.median(r[f"{fmt} export s"] for r in runs)
        line = f"{fmt:12s} export {export:6.2f} s  {runs[-1][f'{fmt} size MB']:6.2f} MB"
        if f"{fmt} import s" in runs[-1]:
            imported = statistics.median(r[f"{fmt} import s"] for r in runs)
            exact = all(r[f"{fmt} round trip exact"] for r in runs)
            line += f"   import {imported:6.2f} s   round trip {'exact' if exact else 'DIFFERS'}"
        print(line)


if __name__ == "__main__":
    main()
