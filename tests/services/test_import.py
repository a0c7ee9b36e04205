"""Importing articles from files, and claims from an export into an empty instance."""

import json
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select, text

from app.cli.claims import import_claims
from app.cli.corpus import import_articles
from app.extensions import db
from app.models import Article, Assessment, Claim, Event, History, Outlet, User
from app.services.exchange.export import ClaimFilters, iter_claim_records
from app.services.exchange.importing import Defaults
from tests.conftest import _empty_all_tables

PARA = (
    "The port authority said on Tuesday that dock workers had accepted the offer after "
    "three weeks of talks, and that ships would be unloaded again from Wednesday morning."
)

NEWS_PAGE = f"""<!doctype html><html><head>
<title>Strike ends at the harbour | Daily Lantern</title>
<meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2019-03-12T09:00:00Z">
<script>window.dataLayer=[];function gtag(){{dataLayer.push(arguments)}}</script>
<script src="https://tracker.example/t.js"></script>
<style>.ad{{display:block}}</style></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/contact">Contact</a></nav>
<div class="ad"><iframe src="https://ads.example/banner"></iframe></div>
<article><h1>Strike ends at the harbour</h1>
<p>{PARA}</p>
<p onmouseover="track()">Union leaders <a href="javascript:steal()">welcomed</a> the deal.
<img src="https://tracker.example/pixel.gif" width="1" height="1"></p>
<p>{PARA.replace("Tuesday", "Monday")}</p></article>
<footer>© 2019 Daily Lantern. All rights reserved.</footer>
<noscript><img src="https://tracker.example/noscript.gif"></noscript>
</body></html>"""


def count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def test_an_html_page_gives_its_main_text_and_metadata_and_keeps_no_html(app, tmp_path):
    (tmp_path / "strike.html").write_text(NEWS_PAGE)
    report = import_articles([tmp_path], Defaults(outlet="Daily Lantern", stance="neutral"))
    assert report.summary() == "1 imported, 0 duplicate, 0 failed"
    article = db.session.get(Article, report.imported[0][1])
    assert article.title.startswith("Strike ends at the harbour")
    assert article.author == "Jane Roe"
    assert str(article.published) == "2019-03-12"
    assert "dock workers had accepted the offer" in article.text
    for junk in ["Home |", "dataLayer", "display:block", "All rights reserved", "track()"]:
        assert junk not in article.text, junk
    for bad in ["tracker.example", "javascript:", "steal()", "<"]:
        assert bad not in article.text, bad
    assert article.source_html is None  # nothing displays it; sanitizing cost 2/3 of an import


def test_text_and_markdown_files_are_cleaned_and_titled(app, tmp_path):
    (tmp_path / "a.txt").write_text(f"Dock strike ends\n\n{PARA}\n\nLeave a Reply\n\nSpam.\n")
    (tmp_path / "b.md").write_text(
        f"# Ferry route reopens\n\n{PARA.replace('dock', '**ferry**')}"
        "\n\nSee [the timetable](https://ferry.example/t).\n"
    )
    report = import_articles([tmp_path], Defaults(outlet="Daily Lantern"))
    assert len(report.imported) == 2
    a, b = (db.session.get(Article, i) for _, i in report.imported)
    assert a.title == "Dock strike ends" and "Leave a Reply" not in a.text
    assert b.title == "Ferry route reopens"
    assert "**" not in b.text and "See the timetable." in b.text


def test_a_bad_file_batch_reports_each_by_name_and_imports_the_rest(app, tmp_path):
    (tmp_path / "good.txt").write_text(f"Good one\n\n{PARA}\n")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 owners".encode("latin-1"))
    (tmp_path / "empty.md").write_text("\n\n   \n")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / "huge.txt").write_bytes(b"x" * (10 * 1024 * 1024 + 1))
    report = import_articles([tmp_path, tmp_path / "missing.txt"], Defaults(outlet="Lantern"))
    reasons = {Path(source).name: reason for source, reason in report.failed}
    assert reasons == {
        "missing.txt": "no such file or folder",
        "binary.txt": "binary file, not text",
        "latin1.txt": "not UTF-8 text (byte 3); give its encoding with --encoding",
        "empty.md": "no text left after cleaning",
        "photo.jpg": "unsupported file type .jpg; expected .txt, .md, .html or .jsonl",
        "huge.txt": "too large (10.5 MB; the limit is 10 MB)",
    }
    assert [Path(s).name for s, _ in report.imported] == ["good.txt"]
    assert count(Article) == 1


def test_duplicates_are_skipped_and_counted(app, tmp_path):
    (tmp_path / "a.txt").write_text(f"Dock strike ends\n\n{PARA}\n")
    first = import_articles([tmp_path], Defaults(outlet="Lantern"))
    again = import_articles([tmp_path], Defaults(outlet="Lantern"))
    assert again.summary() == "0 imported, 1 duplicate, 0 failed"
    assert again.duplicates[0][1] == first.imported[0][1]
    other_outlet = import_articles([tmp_path], Defaults(outlet="Other outlet"))
    assert len(other_outlet.imported) == 1


def test_jsonl_records_import_and_bad_lines_change_nothing(app, tmp_path):
    lines = [
        {
            "outlet": "Lantern",
            "outlet_lean": "centre",
            "title": "One",
            "text": PARA,
            "stance": "neutral",
            "events": ["Harbour strike"],
            "published": "2019-03-12",
        },
        {
            "outlet": "Brand New Outlet",
            "title": "Two",
            "text": PARA,
            "stance": "sympathetic",
            "events": ["Brand new event"],
        },
        {"outlet": "Lantern", "title": "Three", "html": f"<p>{PARA} Three.</p>"},
        {"outlet": "Lantern", "title": "", "text": "No title."},
        {"outlet": "Lantern", "title": "Dup", "text": PARA},
    ]
    body = "\n".join(json.dumps(line) for line in lines) + "\nnot json\n[1, 2]\n"
    (tmp_path / "batch.jsonl").write_text(body)
    report = import_articles([tmp_path / "batch.jsonl"], Defaults())
    assert [s.rsplit(":", 1)[1] for s, _ in report.imported] == ["1", "3", "4"]
    assert [s.rsplit(":", 1)[1] for s, _ in report.duplicates] == ["5"]
    failed = {s.rsplit(":", 1)[1]: reason for s, reason in report.failed}
    assert set(failed) == {"2", "6", "7"}
    assert "sympathetic" in failed["2"]
    # An empty title is taken from the first line, and the report says so.
    assert db.session.get(Article, report.imported[2][1]).title == "No title."
    assert [(s.rsplit(":", 1)[1], n) for s, n in report.notes] == [
        ("4", "no title: took 'No title.' from the first line")
    ]
    # The refused record created neither its outlet nor its event.
    assert db.session.scalar(select(Outlet).where(Outlet.name == "Brand New Outlet")) is None
    assert db.session.scalar(select(Event).where(Event.title == "Brand new event")) is None
    assert [e.title for e in db.session.get(Article, report.imported[0][1]).events] == [
        "Harbour strike"
    ]


def _jsonl_with_bad_lines(tmp_path: Path) -> tuple[Path, dict[int, str]]:
    """450 good records with, past the first batches, lines that fail for every kind of reason:
    what the checks refuse, and what only the database would."""
    lines = [
        json.dumps({"outlet": "Lantern", "title": f"Story {n}", "text": f"{PARA} Number {n}."})
        for n in range(1, 451)
    ]
    bad = {
        401: ({"outlet": "Lantern", "title": "Nul", "text": "a\u0000b"}, "NUL"),
        402: ({"outlet": "x" * 300, "title": "Long outlet", "text": PARA}, "200"),
        403: ({"outlet": "Lantern", "title": "Big id", "text": PARA, "events": [2**64]}, "id"),
        404: ({"outlet": 2**40, "title": "Big outlet id", "text": PARA}, "id"),
        406: ({"outlet": "Lantern", "title": "Poisoned", "text": "Poisoned text."}, "poisoned"),
        407: ({"outlet": "Lantern", "title": ["not", "a", "string"], "text": PARA}, "title"),
    }
    for number, (record, _) in bad.items():
        lines[number - 1] = json.dumps(record)
    # JSON's escape for a lone surrogate, as a broken encoder writes it.
    lines[404] = '{"outlet": "Lantern", "title": "Surrogate", "text": "a\\ud800b"}'
    lines[407] = "[" * 50_000 + "]" * 50_000
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n")
    expected = {n: word for n, (_, word) in bad.items()} | {405: "surrogate", 408: "nested"}
    return path, expected


def test_a_jsonl_with_bad_lines_stores_every_other_record_and_names_each_failure(app, tmp_path):
    path, expected = _jsonl_with_bad_lines(tmp_path)
    remove = _poison("articles", "title", "Poisoned")
    try:
        report = import_articles([path], Defaults())
    finally:
        remove()
    failed = {int(source.rsplit(":", 1)[1]): reason for source, reason in report.failed}
    assert sorted(failed) == sorted(expected)
    for number, word in expected.items():
        assert word in failed[number], (number, failed[number])
        assert "INSERT" not in failed[number] and "[parameters" not in failed[number]
    assert len(report.imported) == 450 - len(expected)
    assert count(Article) == 450 - len(expected)


def test_flask_import_exits_1_after_its_summary_when_anything_failed(app, tmp_path, runner):
    path, expected = _jsonl_with_bad_lines(tmp_path)
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 1, result.output
    assert f"{450 - len(expected) + 1} imported, 0 duplicate, {len(expected) - 1} failed" in (
        result.stdout
    )
    assert f"{path}:401: " in result.stderr and "Traceback" not in result.output
    clean = tmp_path / "clean.jsonl"
    clean.write_text(json.dumps({"outlet": "Lantern", "title": "Fine", "text": "A new text."}))
    result = runner.invoke(args=["import", str(clean)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["import", str(clean)])  # a duplicate is not a failure
    assert result.exit_code == 0 and "1 duplicate" in result.stdout


def comparable(records: list[dict]) -> list[dict]:
    """Records without the ids and times that differ between instances."""
    out = []
    for record in records:
        record = {
            k: v
            for k, v in record.items()
            if k
            not in {
                "claim_id",
                "article_id",
                "event_ids",
                "proposition_id",
                "created_at",
                "revision_at",
            }
        }
        record["assessments"] = [
            {k: v for k, v in a.items() if k not in {"created_at", "updated_at", "version"}}
            for a in record["assessments"]
        ]
        out.append(record)
    return sorted(out, key=lambda r: (r["article_title"], r["start"], r["end"]))


def test_export_import_claims_export_round_trip(claim_set):
    filters = ClaimFilters(include_text=True)
    before = list(iter_claim_records(filters))
    lines = [json.dumps(r, ensure_ascii=False) for r in before]
    db.session.remove()
    _empty_all_tables()
    assert count(Article) == 0
    report = import_claims(lines)
    assert report.failed == [] and report.claims_created == 5
    after = list(iter_claim_records(filters))
    assert comparable(after) == comparable(before)
    # Reviewers came along by name, without a password.
    assert db.session.scalar(select(User).where(User.username == "omid")).password_hash is None
    again = import_claims(lines)
    assert (again.claims_created, again.claims_matched) == (0, 5)
    assert comparable(list(iter_claim_records(filters))) == comparable(before)


def test_import_claims_records_a_matched_claim_it_changes_in_the_history(claim_set):
    record = next(iter_claim_records(ClaimFilters()))
    assert record["assessments"][0]["label"] != "unsourced"
    reviewer = record["assessments"][0]["reviewer"]
    record["assessments"] = [{"reviewer": reviewer, "label": "unsourced"}]
    report = import_claims([json.dumps(record)])
    assert (report.claims_created, report.claims_matched) == (0, 1)
    db.session.commit()
    last = db.session.scalars(
        select(History).where(History.claim_id == record["claim_id"]).order_by(History.id)
    ).all()[-1]
    assert (last.action, last.username) == ("change", "flask import-claims")
    assert "unsourced" in [a["label"] for a in last.after["assessments"]]
    assert "unsourced" not in [a["label"] for a in last.before["assessments"]]
    assert last.before["assessments"] != last.after["assessments"]


def test_import_claims_refuses_a_bad_record_and_keeps_the_rest(claim_set):
    records = list(iter_claim_records(ClaimFilters(include_text=True)))
    records[0]["quote"] = "not what the text says"
    records[1]["assessments"][0]["label"] = "maybe"
    lines = [json.dumps(r, ensure_ascii=False) for r in records[:3]]
    db.session.remove()
    _empty_all_tables()
    report = import_claims([*lines, "{broken"])
    assert [n for n, _ in report.failed] == [1, 2, 4]
    assert "quote does not equal" in report.failed[0][1]
    assert "maybe" in report.failed[1][1]
    assert report.claims_created == 1


def test_import_claims_reports_unstorable_values_by_line_and_stores_the_rest(claim_set):
    records = list(iter_claim_records(ClaimFilters(include_text=True)))
    assert len(records) >= 4
    records[0]["assessments"][0]["note"] = "a\x00b"
    records[1]["assessments"][0]["reviewer"] = "omid\ud800"
    records[2]["start"], records[2]["end"] = 2**40, 2**40 + 3
    lines = [json.dumps(r, ensure_ascii=True) for r in records]
    lines.append("[" * 50_000 + "]" * 50_000)
    db.session.remove()
    _empty_all_tables()
    report = import_claims(lines)
    failed = dict(report.failed)
    assert sorted(failed) == [1, 2, 3, len(lines)]
    assert "NUL" in failed[1] and "surrogate" in failed[2] and "nested" in failed[len(lines)]
    for reason in failed.values():
        assert "INSERT" not in reason and "[parameters" not in reason
    assert report.claims_created == len(records) - 3


def _poison_claims_quoting(quote: str) -> Callable[[], None]:
    return _poison("claims", "quote", quote)


def _poison(table: str, column: str, value: str) -> Callable[[], None]:
    """A database trigger that refuses one row on insert: a failure no check foresees."""
    literal = value.replace("'", "''")
    if db.engine.dialect.name == "postgresql":
        statements = [
            "CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN "
            f"IF NEW.{column} = '{literal}' THEN RAISE EXCEPTION 'poisoned'; END IF; "
            "RETURN NEW; END $$ LANGUAGE plpgsql",
            f"CREATE TRIGGER poison BEFORE INSERT ON {table} FOR EACH ROW "
            "EXECUTE FUNCTION poison()",
        ]
        undo = [f"DROP TRIGGER poison ON {table}", "DROP FUNCTION poison()"]
    else:
        statements = [
            f"CREATE TRIGGER poison BEFORE INSERT ON {table} WHEN NEW.{column} = '{literal}' "
            "BEGIN SELECT RAISE(ABORT, 'poisoned'); END"
        ]
        undo = ["DROP TRIGGER poison"]
    for statement in statements:
        db.session.execute(text(statement))
    db.session.commit()

    def remove() -> None:
        db.session.rollback()
        for statement in undo:
            db.session.execute(text(statement))
        db.session.commit()

    return remove


def test_import_claims_write_failure_costs_only_its_record(claim_set):
    records = list(iter_claim_records(ClaimFilters(include_text=True)))
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    db.session.remove()
    _empty_all_tables()
    remove = _poison_claims_quoting(records[2]["quote"])
    try:
        # Batches of 2: the poisoned record's batch fails at commit and is replayed alone.
        report = import_claims(lines, batch=2)
    finally:
        remove()
    assert [n for n, _ in report.failed] == [3]
    assert "poisoned" in report.failed[0][1]
    assert report.claims_created == 4
    stored = {r["quote"] for r in iter_claim_records(ClaimFilters())}
    assert stored == {r["quote"] for r in records} - {records[2]["quote"]}


def test_import_claims_matches_a_claim_repeated_in_one_batch(claim_set):
    record = next(iter_claim_records(ClaimFilters(include_text=True)))
    line = json.dumps(record, ensure_ascii=False)
    db.session.remove()
    _empty_all_tables()
    report = import_claims([line, line])
    assert (report.claims_created, report.claims_matched, report.failed) == (1, 1, [])
    assert count(Claim) == 1


def test_import_claims_refuses_two_assessments_by_one_reviewer(claim_set):
    record = next(iter_claim_records(ClaimFilters(include_text=True)))
    record["assessments"] = [record["assessments"][0]] * 2
    db.session.remove()
    _empty_all_tables()
    report = import_claims([json.dumps(record)])
    assert report.failed and "assesses the claim twice" in report.failed[0][1]
    assert (count(Claim), count(Article)) == (0, 0)


def test_jsonl_repeating_an_article_names_the_first_copy(app, tmp_path):
    record = {"outlet": "Daily Lantern", "title": "Strike ends", "text": PARA, "events": ["Strike"]}
    path = tmp_path / "twice.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in (record, record, record | {"title": "B"})))
    report = import_articles([path], Defaults())
    ((_, first),) = report.imported
    assert report.duplicates == [(f"{path}:2", first), (f"{path}:3", first)]
    assert (count(Article), count(Outlet), count(Event)) == (1, 1, 1)


def test_a_jsonl_corpus_larger_than_one_page_may_be_is_read_line_by_line(app, tmp_path):
    # Over 10 MB (the limit for one page or text file): a corpus is many records, each
    # checked on its own.
    path = tmp_path / "corpus.jsonl"
    body = "Residents left Camp Liberty. " * 1500  # about 43 kB a record
    with path.open("w", encoding="utf-8") as fh:
        for i in range(260):
            fh.write(json.dumps({"outlet": "Wire", "title": f"T{i}", "text": f"{i} {body}"}) + "\n")
    assert path.stat().st_size > 10 * 1024 * 1024
    report = import_articles([path], Defaults())
    assert len(report.imported) == 260 and not report.failed
    assert count(Article) == 260


def test_a_jsonl_that_stops_being_utf8_keeps_the_lines_before_and_says_so(app, tmp_path):
    path = tmp_path / "broken.jsonl"
    good = json.dumps({"outlet": "Wire", "title": "Fine", "text": "All well."}).encode()
    path.write_bytes(good + b"\n" + b'{"outlet": "Wire", "title": "Bad \xff", "text": "x"}\n')
    report = import_articles([path], Defaults())
    assert len(report.imported) == 1
    assert report.failed and "--encoding" in report.failed[0][1]


def test_importing_the_same_file_twice_changes_nothing_and_writes_no_history(claim_set):
    lines = [json.dumps(r, ensure_ascii=False) for r in iter_claim_records(ClaimFilters())]
    history_rows = count(History)
    claims, assessments = count(Claim), count(Assessment)
    for _ in range(2):
        report = import_claims(lines)
        db.session.commit()
        assert report.failed == [] and report.claims_matched == len(lines)
        assert report.claims_unchanged == len(lines) and report.assessments == 0
    assert (count(History), count(Claim), count(Assessment)) == (
        history_rows,
        claims,
        assessments,
    )


def test_records_of_one_span_by_different_authors_stay_different_claims(claim_set):
    """Three annotators each mark the same span: three claims, every assessment kept; the
    same author's record again is the same claim, and a second, different label of one
    reviewer is reported, never dropped silently."""
    first = next(iter_claim_records(ClaimFilters(include_text=True)))
    records = []
    for author in ("ann", "ben", "cai"):
        records.append(
            {
                **first,
                "author": author,
                "assessments": [{"reviewer": author, "label": "supporting"}],
            }
        )
    again = {**records[0], "assessments": [{"reviewer": "ann", "label": "contested"}]}
    lines = [json.dumps(r, ensure_ascii=False) for r in (*records, again)]
    db.session.remove()
    _empty_all_tables()
    report = import_claims(lines)
    assert report.failed == [] and report.claims_created == 3
    assert count(Claim) == 3 and count(Assessment) == 3
    notes = " / ".join(note for line, note in report.notes if line == 4)
    assert "same claim as line 1" in notes and "contested here is not kept" in notes
    labels = db.session.scalars(select(Assessment.label).order_by(Assessment.id)).all()
    assert labels == ["supporting"] * 3
